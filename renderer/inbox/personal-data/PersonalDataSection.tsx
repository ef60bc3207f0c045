/**
 * In the contact panel: what personal data was asked of the customer and why (kinds, purpose, who
 * and when), and their answer on promotions (yes or no, the customer's own tap or recorded by an
 * agent). After a promotions request the agent can record what the customer answered in words.
 * Read from the server each time the conversation moves (never kept on the workstation); offline,
 * it says it cannot be read.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentAnswer, ContactPersonalData } from '../../../common/api/personal-data.js';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle, useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useTimeFormat } from '../../components/use-time-format.js';

function usePersonalData(conversation: ConversationSummary) {
  const [data, setData] = useState<ContactPersonalData | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const { id, lastMessageAt } = conversation;
  const load = useCallback(() => {
    void settle(window.sportello.conversationPersonalData({ conversationId: id })).then((result) => {
      if (result.ok) {
        setData(result.value);
        setFailure(null);
      } else setFailure(result);
    });
    // lastMessageAt: a request just sent shows once the server stored it.
  }, [id, lastMessageAt]);
  useEffect(load, [load]);
  return { data, failure, reload: load };
}

export function PersonalDataSection({ conversation }: { conversation: ConversationSummary }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const { data, failure, reload } = usePersonalData(conversation);
  const record = useAction(
    (consent: ConsentAnswer) => window.sportello.recordConsent({ conversationId: conversation.id, consent, wording: t('personalData.consentWording') }),
    reload,
  );
  const askedPromotions = data?.requests.some((request) => request.purpose === 'promotions') === true;
  return (
    <section className="contact-personal-data" aria-label={t('personalData.sectionTitle')}>
      <h3>{t('personalData.sectionTitle')}</h3>
      <ErrorNotice problem={failure ?? record.failure} />
      {data !== null && data.requests.length === 0 ? <p className="muted">{t('personalData.noneAsked')}</p> : null}
      {data !== null && data.requests.length > 0 ? (
        <ul className="personal-data-requests">
          {data.requests.map((request) => (
            <li key={request.id}>
              <span>{request.kinds.map((kind) => t(`personalData.kind.${kind}`)).join(', ')}</span>
              {' · '}
              <span>{request.purpose === 'other' ? (request.purposeText ?? '') : t(`personalData.purpose.${request.purpose}`)}</span>
              <span className="muted">
                {' · '}
                {t('personalData.askedBy', { name: request.requestedBy?.name ?? t('personalData.someone'), when: time.dateTime(request.requestedAt) })}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {data === null ? null : (
        <p className="personal-data-consent">
          {data.promotionsConsent === null
            ? t('personalData.consent.none')
            : t(`personalData.consent.${data.promotionsConsent}`, {
                how: t(`personalData.consentSource.${data.consents[0]?.source ?? 'agent'}`),
                when: time.dateTime(data.consents[0]?.recordedAt ?? 0),
              })}
        </p>
      )}
      {askedPromotions ? (
        <div className="personal-data-actions">
          <button type="button" className="button-secondary" disabled={record.pending} onClick={() => void record.run('yes')}>
            {t('personalData.recordYes')}
          </button>
          <button type="button" className="button-secondary" disabled={record.pending} onClick={() => void record.run('no')}>
            {t('personalData.recordNo')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
