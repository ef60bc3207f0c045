/**
 * Above the first message of a conversation that followed a resolved one: the contact's earlier
 * conversations on this number, loaded from the server when the agent asks, each opened (for
 * reading) with a button.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { EarlierLabel } from './EarlierLabel.js';

interface EarlierConversationsProps {
  readonly conversationId: number;
  readonly onOpen: (earlier: ConversationSummary) => void;
}

export function EarlierConversations({ conversationId, onOpen }: EarlierConversationsProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const load = useAction(() => window.sportello.listEarlierConversations({ conversationId, limit: 50 }));
  const [earlier, setEarlier] = useState<readonly ConversationSummary[] | null>(null);
  const toggle = async () => {
    if (shown) {
      setShown(false);
      return;
    }
    setShown(true);
    const page = await load.run();
    if (page !== null) setEarlier(page.items);
  };
  return (
    <section className="earlier-conversations" aria-label={t('lifecycle.earlier.show')}>
      <button type="button" className="button-secondary" aria-expanded={shown} onClick={() => void toggle()}>
        {shown ? t('lifecycle.earlier.hide') : t('lifecycle.earlier.show')}
      </button>
      {shown && load.pending ? <p className="busy">{t('lifecycle.earlier.loading')}</p> : null}
      <ErrorNotice problem={shown ? load.failure : null} />
      {shown && !load.pending && earlier !== null ? (
        earlier.length === 0 ? (
          <p className="muted">{t('lifecycle.earlier.none')}</p>
        ) : (
          <ul className="earlier-list">
            {earlier.map((conversation) => (
              <li key={conversation.id}>
                <button type="button" className="link-button" onClick={() => onOpen(conversation)}>
                  <EarlierLabel conversation={conversation} />
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
