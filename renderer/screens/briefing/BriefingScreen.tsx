/**
 * The security briefing, before the inbox opens (first sign-in, a new version, the renewal
 * period): its rules one at a time, each acknowledged with its own checkbox; the next rule shows
 * once the one before is ticked, and the inbox opens once every rule is (main decides: it asks
 * the server, which refuses the inbox until then). The rules are shown in the app's language.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../../common/ipc/app-state.js';
import type { BriefingRule } from '../../../common/briefing/briefing.js';
import { useAction } from '../../api/use-action.js';
import { useShowState } from '../../app/app-state-context.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { ScreenCard } from '../../components/ScreenCard.js';

type BriefingState = Extract<AppState, { screen: 'briefing' }>;

export function ruleLanguage(language: string | undefined): 'en' | 'it' {
  return language?.startsWith('it') === true ? 'it' : 'en';
}

function RuleItem({ rule, number, checked, onCheck }: { rule: BriefingRule; number: number; checked: boolean; onCheck: (checked: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const language = ruleLanguage(i18n.resolvedLanguage);
  const titleId = `briefing-rule-${rule.id}`;
  return (
    <li className="briefing-rule" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('briefing.ruleTitle', { number, title: rule.title[language] })}</h2>
      <p>{rule.text[language]}</p>
      <label className="checkbox-field">
        <input type="checkbox" checked={checked} onChange={(event) => onCheck(event.target.checked)} />
        {t('briefing.acknowledgeRule')}
      </label>
    </li>
  );
}

export function BriefingScreen({ state }: { state: BriefingState }) {
  const { t } = useTranslation();
  const showState = useShowState();
  const { briefing } = state.briefing;
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  // Main moves to the inbox itself once nothing more is required (its state event follows).
  const acknowledge = useAction(() => window.sportello.acknowledgeBriefing({ version: briefing.version, ruleIds: briefing.rules.map((rule) => rule.id) }));
  const logout = useAction(() => window.sportello.logout({}), showState);
  // A rule shows once every rule before it is ticked; unticking one hides those after it again.
  const firstUnticked = briefing.rules.findIndex((rule) => !ticked.has(rule.id));
  const shown = firstUnticked === -1 ? briefing.rules : briefing.rules.slice(0, firstUnticked + 1);
  const all = firstUnticked === -1;
  const tick = (id: string, checked: boolean) =>
    setTicked((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  const why = state.briefing.acknowledgedVersion === null ? 'first' : state.briefing.acknowledgedVersion !== briefing.version ? 'new_version' : 'renewal';
  return (
    <ScreenCard title={t('briefing.title')} wide>
      <p>{t(`briefing.why.${why}`, { days: state.briefing.renewAfterDays })}</p>
      <p className="muted">
        {t('briefing.progress', { done: briefing.rules.filter((rule) => ticked.has(rule.id)).length, total: briefing.rules.length, version: briefing.version })}
      </p>
      <ol className="briefing-rules">
        {shown.map((rule, index) => (
          <RuleItem key={rule.id} rule={rule} number={index + 1} checked={ticked.has(rule.id)} onCheck={(checked) => tick(rule.id, checked)} />
        ))}
      </ol>
      <ErrorNotice problem={acknowledge.failure ?? logout.failure} />
      <div className="actions">
        <button type="button" className="button-secondary" onClick={() => void logout.run()} disabled={logout.pending}>
          {t('locked.signOut')}
        </button>
        <button type="button" className="button-primary" onClick={() => void acknowledge.run()} disabled={!all || acknowledge.pending}>
          {t('briefing.openInbox')}
        </button>
      </div>
    </ScreenCard>
  );
}
