/**
 * On the teams screen: the routing rules, in the order they are tried (the first that matches a
 * new conversation sends it to its team; else the number's team, else the default team). An
 * admin adds, changes, switches off, moves up or down and removes rules, as with the admin CLI
 * (`routing …`); each change applies to the next new conversation.
 */
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoutingCondition, RoutingRuleView } from '../../common/api/routing.js';
import type { TeamView } from '../../common/api/teams.js';
import type { IpcResult } from '../../common/ipc/ipc-result.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { RoutingRuleForm } from './RoutingRuleForm.js';
import { conditionWords } from './routing-words.js';
import { useLoaded } from './use-loaded.js';

interface RuleRowProps {
  readonly rule: RoutingRuleView;
  readonly last: boolean;
  readonly pending: boolean;
  readonly act: (call: () => Promise<IpcResult<unknown>>, words: string) => Promise<boolean>;
  readonly onEdit: () => void;
}

function RuleRow({ rule, last, pending, act, onEdit }: RuleRowProps) {
  const { t, i18n } = useTranslation();
  const when = conditionWords(t, rule.condition, i18n.language);
  const position = { position: rule.position };
  return (
    <li className={`routing-rule${rule.enabled && rule.teamName !== null ? '' : ' routing-rule-off'}`} data-rule-id={rule.id}>
      <span className="routing-position">{rule.position}</span>
      <span className="routing-when">{when}</span>
      <span className="routing-team">
        {rule.teamName === null ? t('routing.teamDeleted') : t('routing.sendsTo', { team: rule.teamName })}
        {rule.enabled ? null : <em className="routing-disabled"> · {t('routing.disabled')}</em>}
      </span>
      <span className="routing-actions">
        <button
          type="button"
          className="button-secondary"
          disabled={pending || rule.position === 1}
          aria-label={t('routing.moveUpRule', position)}
          onClick={() => void act(() => window.sportello.adminMoveRoutingRule({ ruleId: rule.id, position: rule.position - 1 }), t('routing.moved', position))}
        >
          ↑
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={pending || last}
          aria-label={t('routing.moveDownRule', position)}
          onClick={() => void act(() => window.sportello.adminMoveRoutingRule({ ruleId: rule.id, position: rule.position + 1 }), t('routing.moved', position))}
        >
          ↓
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={pending}
          onClick={() =>
            void act(
              () => window.sportello.adminUpdateRoutingRule({ ruleId: rule.id, enabled: !rule.enabled }),
              t(rule.enabled ? 'routing.switchedOff' : 'routing.switchedOn', position),
            )
          }
        >
          {rule.enabled ? t('routing.disable') : t('routing.enable')}
        </button>
        <button type="button" className="button-secondary" disabled={pending} aria-label={t('routing.editRule', position)} onClick={onEdit}>
          {t('routing.edit')}
        </button>
        <button
          type="button"
          className="button-danger"
          disabled={pending}
          aria-label={t('routing.removeRule', position)}
          onClick={() => void act(() => window.sportello.adminRemoveRoutingRule({ ruleId: rule.id }), t('routing.removed', position))}
        >
          {t('routing.remove')}
        </button>
      </span>
    </li>
  );
}

export function RoutingRules({ teams }: { teams: readonly TeamView[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  // Again when the teams change: a removed team shows as such.
  const loadRules = useCallback(() => window.sportello.adminListRoutingRules({}), [teams]);
  const loadNumbers = useCallback(() => window.sportello.adminListNumbers({}), []);
  const rules = useLoaded(loadRules);
  const numbers = useLoaded(loadNumbers);
  const [editing, setEditing] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const action = useAction(
    (call: () => Promise<IpcResult<unknown>>, _words: string) => call(),
    () => rules.reload(),
  );
  const act = async (call: () => Promise<IpcResult<unknown>>, words: string): Promise<boolean> => {
    setDone(null);
    if ((await action.run(call, words)) === null) return false;
    setDone(words);
    setEditing(null);
    return true;
  };
  const all = rules.value?.rules ?? [];
  const known = numbers.value?.numbers ?? [];
  const save = (rule: RoutingRuleView | null) => (condition: RoutingCondition, teamId: number) =>
    rule === null
      ? act(() => window.sportello.adminCreateRoutingRule({ condition, teamId }), t('routing.added'))
      : act(() => window.sportello.adminUpdateRoutingRule({ ruleId: rule.id, condition, teamId }), t('routing.saved', { position: rule.position }));
  return (
    <section className="panel routing-rules" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('routing.title')}</h2>
      <p className="muted">{t('routing.explanation')}</p>
      <ErrorNotice problem={rules.failure ?? numbers.failure ?? action.failure} />
      {done === null ? null : (
        <p role="status" className="muted">
          {done}
        </p>
      )}
      {all.length === 0 ? (
        <p className="muted">{t('routing.none')}</p>
      ) : (
        <ol className="routing-list" aria-label={t('routing.title')}>
          {all.map((rule, index) =>
            editing === rule.id ? (
              <li key={rule.id} className="routing-rule routing-rule-editing">
                <RoutingRuleForm
                  rule={rule}
                  teams={teams}
                  numbers={known}
                  pending={action.pending}
                  onSubmit={(condition, teamId) => void save(rule)(condition, teamId)}
                  onCancel={() => setEditing(null)}
                />
              </li>
            ) : (
              <RuleRow key={rule.id} rule={rule} last={index === all.length - 1} pending={action.pending} act={act} onEdit={() => setEditing(rule.id)} />
            ),
          )}
        </ol>
      )}
      <p className="muted">{t('routing.fallback')}</p>
      <h3>{t('routing.addTitle')}</h3>
      <RoutingRuleForm
        key={formKey}
        rule={null}
        teams={teams}
        numbers={known}
        pending={action.pending}
        onSubmit={(condition, teamId) => {
          void save(null)(condition, teamId).then((added) => added && setFormKey((key) => key + 1));
        }}
      />
    </section>
  );
}
