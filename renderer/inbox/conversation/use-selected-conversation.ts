import { useCallback, useState } from 'react';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import { useInboxEvents } from '../use-inbox-events.js';

/**
 * The open conversation's summary, followed through the feed whatever the list's filter: a reply
 * that assigns an unassigned conversation takes it out of the "unassigned" list, not off screen.
 */
export function useSelectedConversation() {
  const [selected, setSelected] = useState<ConversationSummary | null>(null);
  useInboxEvents((event) => {
    // Another agent took it: it closes here, as it left this agent's lists.
    if (event.type === 'conversation_hidden') setSelected((current) => (current?.id === event.conversationId ? null : current));
    if (event.type !== 'message' && event.type !== 'conversation') return;
    setSelected((current) => (current !== null && current.id === event.conversation.id ? event.conversation : current));
  });
  const select = useCallback((conversation: ConversationSummary | null) => setSelected(conversation), []);
  return { selected, select };
}
