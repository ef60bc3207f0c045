/**
 * The other agents in the open conversation: main is told this conversation shows (and that none
 * does once it closes), and its `presence` events for it say who else is viewing or typing.
 */
import { useEffect, useState } from 'react';
import type { PresentAgent } from '../../../common/api/presence.js';
import { settle } from '../../api/use-action.js';

export function useConversationPresence(conversationId: number): readonly PresentAgent[] {
  const [others, setOthers] = useState<readonly PresentAgent[]>([]);
  useEffect(() => {
    setOthers([]);
    const stop = window.sportello.on('presence', (event) => {
      if (event.conversationId === conversationId) setOthers(event.others);
    });
    void settle(window.sportello.viewConversation({ conversationId }));
    return () => {
      stop();
      void settle(window.sportello.viewConversation({ conversationId: null }));
    };
  }, [conversationId]);
  return others;
}

/** At most one report per interval while keys come: main debounces the rest. */
const TYPING_REPORT_MS = 1000;
const lastTyped = new Map<number, number>();

/** A key typed in the composer of the open conversation. */
export function reportTyping(conversationId: number): void {
  const now = Date.now();
  if (now - (lastTyped.get(conversationId) ?? 0) < TYPING_REPORT_MS) return;
  lastTyped.clear();
  lastTyped.set(conversationId, now);
  void settle(window.sportello.typingIn({ conversationId }));
}
