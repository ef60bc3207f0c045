/**
 * Beside the open conversation: who the customer is (name, number as the server gives it, and
 * whether they are blocked on this number: the reason, who and when), what personal data was
 * asked of them and why, and their answer on promotions, and
 * their earlier conversations on this number, each opened read only. Loaded from the server (the
 * earlier conversations are not kept on the workstation unless the agent may see each on its own);
 * offline, the panel says it cannot list them.
 */
import { CustomerNumber } from '../customer-numbers/CustomerNumber.js';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { LabelChips } from '../labels/LabelChips.js';
import { EarlierLabel } from '../lifecycle/EarlierLabel.js';
import { customerName } from '../conversations/conversation-list-state.js';
import { useTimeFormat } from '../../components/use-time-format.js';
import { PersonalDataSection } from '../personal-data/PersonalDataSection.js';

interface ContactPanelProps {
  /** The contact's current conversation (not an earlier one being read). */
  readonly conversation: ConversationSummary;
  /** The conversation shown now: the current one, or the earlier one being read. */
  readonly shownId: number;
  readonly onOpenEarlier: (earlier: ConversationSummary) => void;
  readonly onBack: () => void;
}

function useEarlier(conversation: ConversationSummary) {
  const [earlier, setEarlier] = useState<readonly ConversationSummary[] | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const { id, previousConversationId } = conversation;
  const load = useCallback(() => {
    if (previousConversationId === null) {
      setEarlier([]);
      return;
    }
    void settle(window.sportello.listEarlierConversations({ conversationId: id, limit: 50 })).then((result) => {
      if (result.ok) {
        setEarlier(result.value.items);
        setFailure(null);
      } else setFailure(result);
    });
  }, [id, previousConversationId]);
  useEffect(load, [load]);
  return { earlier, failure };
}

export function ContactPanel({ conversation, shownId, onOpenEarlier, onBack }: ContactPanelProps) {
  const { t } = useTranslation();
  const { earlier, failure } = useEarlier(conversation);
  const { username } = conversation.customer;
  const time = useTimeFormat();
  const { block } = conversation;
  return (
    <aside className="contact-panel" aria-label={t('desk.contact.title')}>
      {/* Not a heading: the conversation's own heading already names the customer. */}
      <p className="contact-name">{conversation.customer.group === true ? t('groups.title') : customerName(conversation)}</p>
      <dl className="contact-facts">
        <dt>{t('desk.contact.number')}</dt>
        <dd>
          <CustomerNumber conversation={conversation} fallback={conversation.customer.group === true ? t('groups.title') : t('desk.contact.noNumber')} />
        </dd>
        {username === null ? null : (
          <>
            <dt>{t('desk.contact.username')}</dt>
            <dd>{username}</dd>
          </>
        )}
        {block === null ? null : (
          <>
            <dt>{t('blocks.blocked')}</dt>
            <dd>
              {t('blocks.reason', { reason: block.reason })} · {t('blocks.by', { name: block.blockedBy.name, when: time.dateTime(block.blockedAt) })}
            </dd>
          </>
        )}
      </dl>
      <section className="contact-labels" aria-label={t('labels.title')}>
        <h3>{t('labels.title')}</h3>
        {conversation.labels.length === 0 ? <p className="muted">{t('labels.none')}</p> : <LabelChips labels={conversation.labels} />}
      </section>
      <PersonalDataSection conversation={conversation} />
      <section className="contact-earlier" aria-label={t('desk.contact.earlier')}>
        <h3>{t('desk.contact.earlier')}</h3>
        <ErrorNotice problem={failure} />
        {earlier === null && failure === null ? <p className="busy">{t('lifecycle.earlier.loading')}</p> : null}
        {earlier !== null && earlier.length === 0 ? <p className="muted">{t('lifecycle.earlier.none')}</p> : null}
        {earlier !== null && earlier.length > 0 ? (
          <ul className="earlier-list">
            {shownId === conversation.id ? null : (
              <li>
                <button type="button" className="link-button" onClick={onBack}>
                  {t('desk.contact.current')}
                </button>
              </li>
            )}
            {earlier.map((item) => (
              <li key={item.id}>
                <button type="button" className="link-button" aria-current={item.id === shownId ? 'true' : undefined} onClick={() => onOpenEarlier(item)}>
                  <EarlierLabel conversation={item} />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </aside>
  );
}
