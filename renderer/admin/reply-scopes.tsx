/** What the quick replies and labels screens share: the scope each is kept in (global, or one team) as they name and pick it, their form's buttons and their list's state. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReplyScope } from '../../common/api/replies.js';
import type { IpcResult } from '../../common/ipc/ipc-result.js';
import { useLoaded } from './use-loaded.js';

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

/** A replies or labels form's buttons: save, and cancel while changing one. */
export function FormActions({ save, pending, editing, onCancel }: { save: string; pending: boolean; editing: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <button type="submit" className="button-primary" disabled={pending}>
        {save}
      </button>
      {editing ? (
        <button type="button" className="button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      ) : null}
    </div>
  );
}

/** What a managed list's screen holds: the list loaded, the draft being edited (null: a new one), and the words of the last change. */
export function useManagedList<T, D>(load: () => Promise<IpcResult<T>>) {
  const managed = useLoaded(load);
  const [draft, setDraft] = useState<D | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const changed = (words: string) => {
    setDone(words);
    setDraft(null);
    managed.reload();
  };
  return { managed, draft, setDraft, done, changed };
}

export function DoneStatus({ done }: { done: string | null }) {
  return done === null ? null : (
    <p role="status" className="muted">
      {done}
    </p>
  );
}

interface RowActionsProps {
  /** What each button says, and what it says to a screen reader (naming the row). */
  readonly edit: readonly [text: string, named: string];
  readonly remove: readonly [text: string, named: string];
  readonly pending: boolean;
  readonly onEdit: () => void;
  readonly onRemove: () => void;
}

/** A row's Change and Remove buttons. */
export function RowActions({ edit, remove, pending, onEdit, onRemove }: RowActionsProps) {
  return (
    <td className="row-actions">
      <button type="button" className="button-secondary" aria-label={edit[1]} onClick={onEdit}>
        {edit[0]}
      </button>
      <button type="button" className="button-danger" disabled={pending} aria-label={remove[1]} onClick={onRemove}>
        {remove[0]}
      </button>
    </td>
  );
}
