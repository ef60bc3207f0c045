/**
 * The safety policy (admins): each rule's settings, saved together from the version shown. When
 * someone changed the policy meanwhile the server refuses (`safety_policy_changed`): the panel
 * says so and offers to load theirs; a host list entry that is not a host is named
 * (`host_list_invalid`) and nothing is saved.
 */
import type { FormEvent } from 'react';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminSafetyPolicyView, SafetyPolicy } from '../../common/safety/safety-policy.js';
import { SHORTENER_ACTIONS } from '../../common/safety/safety-policy.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { HostListField, hostsOf, NumberSetting, textOf, Toggle } from './SafetyFields.js';
import { PaymentProviderSection } from './PaymentProviderSection.js';
import { useLoaded } from './use-loaded.js';

interface Draft {
  readonly policy: SafetyPolicy;
  readonly blocked: string;
  readonly allowed: string;
  readonly privacy: string;
}

const draftOf = (policy: SafetyPolicy): Draft => ({
  policy,
  blocked: textOf(policy.links.blockedHosts),
  allowed: textOf(policy.links.allowedOutboundHosts),
  privacy: policy.personalData.privacyNoticeUrl ?? '',
});

const policyOf = (draft: Draft): SafetyPolicy => ({
  ...draft.policy,
  links: { ...draft.policy.links, blockedHosts: hostsOf(draft.blocked), allowedOutboundHosts: hostsOf(draft.allowed) },
  personalData: { ...draft.policy.personalData, privacyNoticeUrl: draft.privacy.trim() === '' ? null : draft.privacy.trim() },
});

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <section className="panel safety-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function SafetyPanel() {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const load = useCallback(() => window.sportello.adminGetSafetyPolicy({}), []);
  const loaded = useLoaded(load);
  const [shown, setShown] = useState<AdminSafetyPolicyView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.value === null) return;
    setShown(loaded.value);
    setDraft(draftOf(loaded.value.policy));
  }, [loaded.value]);
  const save = useAction(
    (view: AdminSafetyPolicyView, next: Draft) => window.sportello.adminSetSafetyPolicy({ version: view.version, policy: policyOf(next) }),
    (stored) => {
      setShown(stored);
      setDraft(draftOf(stored.policy));
      setSaved(true);
    },
  );
  if (shown === null || draft === null)
    return (
      <div className="admin-screen">
        <h1 className="visually-hidden">{t('inbox.section.safety')}</h1>
        <ErrorNotice problem={loaded.failure} />
      </div>
    );
  const set = <S extends keyof SafetyPolicy>(section: S, change: Partial<SafetyPolicy[S]>) => {
    setSaved(false);
    setDraft({ ...draft, policy: { ...draft.policy, [section]: { ...draft.policy[section], ...change } } });
  };
  const edit = (change: Partial<Omit<Draft, 'policy'>>) => {
    setSaved(false);
    setDraft({ ...draft, ...change });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(shown, draft);
  };
  const { policy } = draft;
  const stale = save.failure?.code === 'safety_policy_changed';
  return (
    <div className="admin-screen safety-screen">
      <h1 className="visually-hidden">{t('inbox.section.safety')}</h1>
      <p className="muted" data-testid="safety-version">
        {shown.changedBy === null
          ? t('safety.neverChanged')
          : t('safety.version', { version: shown.version, when: format.moment(shown.changedAt ?? 0), who: shown.changedBy })}
      </p>
      <form onSubmit={submit} aria-label={t('safety.formLabel')}>
        <Section title={t('safety.links.title')}>
          <HostListField
            label={t('safety.links.blockedHosts')}
            hint={t('safety.links.blockedHostsHint')}
            text={draft.blocked}
            onChange={(blocked) => edit({ blocked })}
          />
          <Toggle
            label={t('safety.links.outboundAllowListOnly')}
            checked={policy.links.outboundAllowListOnly}
            onChange={(outboundAllowListOnly) => set('links', { outboundAllowListOnly })}
          />
          <HostListField
            label={t('safety.links.allowedOutboundHosts')}
            hint={t('safety.links.allowedOutboundHostsHint')}
            text={draft.allowed}
            onChange={(allowed) => edit({ allowed })}
          />
          <fieldset className="field">
            <legend>{t('safety.links.shorteners')}</legend>
            {SHORTENER_ACTIONS.map((action) => (
              <label key={action} className="choice">
                <input type="radio" name="shorteners" checked={policy.links.shorteners === action} onChange={() => set('links', { shorteners: action })} />
                {t(`safety.links.shortener_${action}`)}
              </label>
            ))}
          </fieldset>
        </Section>
        <Section title={t('safety.attachments.title')}>
          <Toggle
            label={t('safety.attachments.refuseFilesWithoutCleanScan')}
            checked={policy.attachments.refuseFilesWithoutCleanScan}
            onChange={(refuseFilesWithoutCleanScan) => set('attachments', { refuseFilesWithoutCleanScan })}
          />
          <Toggle
            label={t('safety.attachments.allowUninspectableArchivesWhenClean')}
            checked={policy.attachments.allowUninspectableArchivesWhenClean}
            onChange={(allowUninspectableArchivesWhenClean) => set('attachments', { allowUninspectableArchivesWhenClean })}
          />
          <NumberSetting
            label={t('safety.attachments.rescanEveryHours')}
            value={policy.attachments.rescanEveryHours}
            min={1}
            max={168}
            onChange={(rescanEveryHours) => set('attachments', { rescanEveryHours })}
          />
        </Section>
        <Section title={t('safety.messages.title')}>
          <Toggle
            label={t('safety.codes.holdOutboundCodes')}
            checked={policy.codes.holdOutboundCodes}
            onChange={(holdOutboundCodes) => set('codes', { holdOutboundCodes })}
          />
          <Toggle
            label={t('safety.codes.warnInboundCodeRequests')}
            checked={policy.codes.warnInboundCodeRequests}
            onChange={(warnInboundCodeRequests) => set('codes', { warnInboundCodeRequests })}
          />
          <Toggle
            label={t('safety.cards.refuseOutbound')}
            checked={policy.cards.refuseOutbound}
            onChange={(refuseOutbound) => set('cards', { refuseOutbound })}
          />
          <Toggle label={t('safety.groups.refuseGroupRecipients')} checked disabled onChange={() => undefined} />
        </Section>
        <Section title={t('safety.personalData.title')}>
          <Toggle
            label={t('safety.personalData.requirePurpose')}
            checked={policy.personalData.requirePurpose}
            onChange={(requirePurpose) => set('personalData', { requirePurpose })}
          />
          <TextField
            label={t('safety.personalData.privacyNoticeUrl')}
            type="url"
            value={draft.privacy}
            onChange={(privacy) => edit({ privacy })}
            placeholder="https://"
          />
          <Toggle
            label={t('safety.maskedNumbers.maskForAgents')}
            checked={policy.maskedNumbers.maskForAgents}
            onChange={(maskForAgents) => set('maskedNumbers', { maskForAgents })}
          />
          <Toggle
            label={t('safety.maskedNumbers.supervisorsSeeNumbers')}
            checked={policy.maskedNumbers.supervisorsSeeNumbers}
            onChange={(supervisorsSeeNumbers) => set('maskedNumbers', { supervisorsSeeNumbers })}
          />
          <NumberSetting
            label={t('safety.briefing.renewAfterDays')}
            value={policy.briefing.renewAfterDays}
            min={1}
            max={3650}
            onChange={(renewAfterDays) => set('briefing', { renewAfterDays })}
          />
        </Section>
        <ErrorNotice problem={save.failure} />
        <div className="form-actions">
          {stale ? (
            <button type="button" className="button-secondary" onClick={() => (save.clearFailure(), loaded.reload())}>
              {t('safety.loadTheirs')}
            </button>
          ) : null}
          <button type="submit" disabled={save.pending}>
            {t('safety.save')}
          </button>
        </div>
        {saved ? (
          <p role="status" className="muted">
            {t('safety.saved', { version: shown.version })}
          </p>
        ) : null}
      </form>
      <PaymentProviderSection />
    </div>
  );
}
