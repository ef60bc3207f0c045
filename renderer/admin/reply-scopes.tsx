/** The scope a quick reply or a label is kept in, as the admin screens name and pick it: global, or one team. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReplyScope } from '../../common/api/replies.js';

export function useScopeName(): (scope: ReplyScope) => string {
  const { t } = useTranslation();
  return (scope) => (scope.teamId === null ? t('replyScopes.global') : t('replyScopes.team', { name: scope.teamName ?? `#${scope.teamId}` }));
}

interface ScopeSelectProps {
  readonly scopes: readonly ReplyScope[];
  readonly teamId: number | null;
  readonly onTeamId: (teamId: number | null) => void;
  readonly disabled?: boolean;
}

export function ScopeSelect({ scopes, teamId, onTeamId, disabled = false }: ScopeSelectProps) {
  const { t } = useTranslation();
  const id = useId();
  const nameOf = useScopeName();
  return (
    <div className="field">
      <label htmlFor={id}>{t('replyScopes.label')}</label>
      <select id={id} value={teamId ?? ''} disabled={disabled} onChange={(event) => onTeamId(event.target.value === '' ? null : Number(event.target.value))}>
        {scopes.map((scope) => (
          <option key={scope.teamId ?? 'global'} value={scope.teamId ?? ''}>
            {nameOf(scope)}
          </option>
        ))}
      </select>
    </div>
  );
}
