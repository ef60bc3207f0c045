/**
 * Opens a search result's conversation: the one the list has loaded, else the one main has
 * (getConversation: the cache, or the server). Only the result chosen last is opened, however
 * the answers arrive.
 */
import { useCallback, useRef } from 'react';
import type { ConversationSummary } from '../../../common/api/inbox.js';
import type { SearchHit } from '../../../common/ipc/contract.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { useAction } from '../../api/use-action.js';

export interface HitOpener {
  readonly openHit: (hit: SearchHit) => void;
  readonly failure: IpcFailure | null;
}

export function useOpenHit(loaded: readonly ConversationSummary[], open: (conversation: ConversationSummary, messageId: number | null) => void): HitOpener {
  const fetch = useAction((conversationId: number) => window.sportello.getConversation({ conversationId }));
  const latest = useRef({ loaded, open });
  latest.current = { loaded, open };
  const chosen = useRef(0);
  const { run, clearFailure } = fetch;

  const openHit = useCallback(
    (hit: SearchHit) => {
      const mine = ++chosen.current;
      clearFailure();
      const known = latest.current.loaded.find((conversation) => conversation.id === hit.conversationId);
      void (known === undefined ? run(hit.conversationId) : Promise.resolve(known)).then((conversation) => {
        if (conversation !== null && mine === chosen.current) latest.current.open(conversation, hit.messageId);
      });
    },
    [run, clearFailure],
  );
  return { openHit, failure: fetch.failure };
}
