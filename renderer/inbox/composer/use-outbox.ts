/**
 * The open conversation's messages that main holds in its outbox: waiting for the server, being
 * sent, or refused (their text kept until the agent retries or discards them). A sent one leaves
 * the outbox and joins the conversation as the message the server stored.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MessageView } from '../../../common/api/inbox.js';
import type { OutboxEntry } from '../../../common/ipc/contract.js';
import { settle } from '../../api/use-action.js';

export interface Outbox {
  /** Oldest first: the order main sends them in. */
  readonly entries: readonly OutboxEntry[];
  /** Takes an entry as main reports it (a send's answer, a retry's, an event). */
  readonly record: (entry: OutboxEntry) => void;
  /** Drops an entry the agent discarded. */
  readonly forget: (clientMessageId: string) => void;
}

export function useOutbox(conversationId: number, onSent: (message: MessageView) => void): Outbox {
  const [byId, setById] = useState<ReadonlyMap<string, OutboxEntry>>(new Map());

  const record = useCallback(
    (entry: OutboxEntry) => {
      if (entry.conversationId !== conversationId) return;
      setById((current) => {
        const next = new Map(current);
        if (entry.state === 'sent') next.delete(entry.clientMessageId);
        else next.set(entry.clientMessageId, entry);
        return next;
      });
      if (entry.state === 'sent' && entry.message !== null) onSent(entry.message);
    },
    [conversationId, onSent],
  );

  const forget = useCallback((clientMessageId: string) => {
    setById((current) => new Map([...current].filter(([id]) => id !== clientMessageId)));
  }, []);

  useEffect(() => {
    let current = true;
    void settle(window.sportello.listOutbox({ conversationId })).then((result) => {
      if (current && result.ok) for (const entry of result.value.entries) record(entry);
    });
    const unsubscribe = window.sportello.on('outbox', record);
    return () => {
      current = false;
      unsubscribe();
    };
  }, [conversationId, record]);

  const entries = useMemo(() => [...byId.values()].sort((a, b) => a.createdAt - b.createdAt), [byId]);
  return useMemo(() => ({ entries, record, forget }), [entries, record, forget]);
}
