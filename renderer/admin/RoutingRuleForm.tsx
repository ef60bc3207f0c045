/**
 * The form that adds a routing rule or changes one: the kind of condition (number, keywords,
 * languages, ad), its parameters, the team. Keywords and languages are checked here with the
 * rules the server applies (common/), so a bad one is named before anything is sent.
 */
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessNumberView } from '../../common/api/business-numbers.js';
import type { RoutingCondition, RoutingConditionKind, RoutingRuleView } from '../../common/api/routing.js';
import { RoutingCondition as ConditionSchema } from '../../common/api/routing.js';
import type { TeamView } from '../../common/api/teams.js';
import { ROUTING_LANGUAGE_CODES } from '../../common/routing/languages.js';
import { TextField } from '../components/TextField.js';
import { languageName } from './routing-words.js';

const KINDS: readonly RoutingConditionKind[] = ['keyword', 'language', 'referral', 'number'];

interface Draft {
  kind: RoutingConditionKind;
  phoneNumberId: string;
  keywords: string;
  languages: string[];
  sourceId: string;
  sourceUrl: string;
  headline: string;
  teamId: string;
}

function draftOf(rule: RoutingRuleView | null, teams: readonly TeamView[], numbers: readonly BusinessNumberView[]): Draft {
  const c = rule?.condition;
  return {
    kind: c?.kind ?? 'keyword',
    phoneNumberId: c?.kind === 'number' ? c.phoneNumberId : (numbers[0]?.phoneNumberId ?? ''),
    keywords: c?.kind === 'keyword' ? c.keywords.join(', ') : '',
    languages: c?.kind === 'language' ? [...c.languages] : [],
    sourceId: c?.kind === 'referral' ? (c.sourceId ?? '') : '',
    sourceUrl: c?.kind === 'referral' ? (c.sourceUrl ?? '') : '',
    headline: c?.kind === 'referral' ? (c.headline ?? '') : '',
    teamId: String(rule?.teamName === null ? '' : (rule?.teamId ?? teams[0]?.id ?? '')),
  };
}

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());

/** The condition the draft says, as the server would read it; null when it is not valid. */
function conditionOf(draft: Draft): RoutingCondition | null {
  const raw =
    draft.kind === 'number'
      ? { kind: 'number', phoneNumberId: draft.phoneNumberId }
      : draft.kind === 'keyword'
        ? { kind: 'keyword', keywords: draft.keywords.split(',').filter((keyword) => keyword.trim() !== '') }
        : draft.kind === 'language'
          ? { kind: 'language', languages: draft.languages }
          : { kind: 'referral', sourceId: optional(draft.sourceId), sourceUrl: optional(draft.sourceUrl), headline: optional(draft.headline) };
  const parsed = ConditionSchema.safeParse(JSON.parse(JSON.stringify(raw)));
  return parsed.success ? parsed.data : null;
}

interface RoutingRuleFormProps {
  /** The rule being changed, or null to add one. */
  readonly rule: RoutingRuleView | null;
  readonly teams: readonly TeamView[];
  readonly numbers: readonly BusinessNumberView[];
  readonly pending: boolean;
  readonly onSubmit: (condition: RoutingCondition, teamId: number) => void;
  readonly onCancel?: () => void;
}

export function RoutingRuleForm({ rule, teams, numbers, pending, onSubmit, onCancel }: RoutingRuleFormProps) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(rule, teams, numbers));
  const [checked, setChecked] = useState(false);
  const ids = { kind: useId(), number: useId(), team: useId(), languages: useId(), problem: useId() };
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  const condition = conditionOf(draft);
  const problem = condition === null ? t(`routing.problem.${draft.kind}`) : draft.teamId === '' ? t('routing.problem.team') : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (condition !== null && problem === null) onSubmit(condition, Number(draft.teamId));
  };
  return (
    <form className="routing-form" onSubmit={submit} aria-describedby={checked && problem !== null ? ids.problem : undefined}>
      <div className="field">
        <label htmlFor={ids.kind}>{t('routing.kind')}</label>
        <select id={ids.kind} value={draft.kind} onChange={(event) => set({ kind: event.target.value as RoutingConditionKind })}>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`routing.kinds.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      {draft.kind === 'keyword' ? (
        <TextField
          label={t('routing.keywords')}
          hint={t('routing.keywordsHint')}
          value={draft.keywords}
          onChange={(keywords) => set({ keywords })}
          autoComplete="off"
        />
      ) : null}
      {draft.kind === 'number' ? (
        <div className="field">
          <label htmlFor={ids.number}>{t('routing.number')}</label>
          <select id={ids.number} value={draft.phoneNumberId} onChange={(event) => set({ phoneNumberId: event.target.value })}>
            {numbers.map((number) => (
              <option key={number.phoneNumberId} value={number.phoneNumberId}>
                {number.displayName} ({number.phoneNumberId})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {draft.kind === 'language' ? (
        <fieldset className="routing-languages">
          <legend id={ids.languages}>{t('routing.languages')}</legend>
          {ROUTING_LANGUAGE_CODES.map((code) => (
            <label key={code} className="choice">
              <input
                type="checkbox"
                checked={draft.languages.includes(code)}
                onChange={(event) => set({ languages: event.target.checked ? [...draft.languages, code] : draft.languages.filter((each) => each !== code) })}
              />
              {languageName(code, i18n.language)}
            </label>
          ))}
        </fieldset>
      ) : null}
      {draft.kind === 'referral' ? (
        <>
          <p className="muted routing-hint">{t('routing.referralHint')}</p>
          <TextField label={t('routing.adId')} value={draft.sourceId} onChange={(sourceId) => set({ sourceId })} autoComplete="off" />
          <TextField label={t('routing.adUrl')} value={draft.sourceUrl} onChange={(sourceUrl) => set({ sourceUrl })} autoComplete="off" />
          <TextField label={t('routing.adHeadline')} value={draft.headline} onChange={(headline) => set({ headline })} autoComplete="off" />
        </>
      ) : null}
      <div className="field">
        <label htmlFor={ids.team}>{t('routing.team')}</label>
        <select id={ids.team} value={draft.teamId} onChange={(event) => set({ teamId: event.target.value })}>
          {draft.teamId === '' ? <option value="">{t('routing.chooseTeam')}</option> : null}
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </div>
      <div className="routing-form-actions">
        <button type="submit" className="button-primary" disabled={pending}>
          {rule === null ? t('routing.add') : t('routing.save')}
        </button>
        {onCancel === undefined ? null : (
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
      {checked && problem !== null ? (
        <p className="error-notice" role="alert" id={ids.problem}>
          {problem}
        </p>
      ) : null}
    </form>
  );
}
