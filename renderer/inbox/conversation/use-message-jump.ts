/**
 * A jump to one message of the open conversation (from a search result): earlier pages load
 * until the message is there, at most MAX_JUMP_PAGES of them, so a message years back does not
 * pull the whole history in; then the list scrolls to it.
 */
import { useEffect, useState } from 'react';
import type { ConversationMessages } from './use-conversation-messages.js';

export const MAX_JUMP_PAGES = 20;

/** A new object for every jump, so jumping to the same message again scrolls again. */
export interface MessageJump {
  readonly messageId: number;
}

/** looking: pages are loading; too_far: the bound was reached; missing: the whole conversation is loaded and the message is not in it. */
export type JumpProgress = 'looking' | 'found' | 'too_far' | 'missing';

export interface JumpState {
  readonly progress: JumpProgress | null;
  /** The jump, once its message is loaded. */
  readonly reveal: MessageJump | null;
}

export function useMessageJump(thread: ConversationMessages, jump: MessageJump | null): JumpState {
  // Pages loaded for this jump; counting starts again for the next one.
  const [loadedFor, setLoadedFor] = useState<{ jump: MessageJump | null; pages: number }>({ jump: null, pages: 0 });
  const pages = loadedFor.jump === jump ? loadedFor.pages : 0;
  const present = jump !== null && thread.byId.has(jump.messageId);
  const { loaded, loading, failure, hasEarlier, loadEarlier } = thread;
  const mayLoad = jump !== null && !present && loaded && !loading && failure === null && hasEarlier && pages < MAX_JUMP_PAGES;

  useEffect(() => {
    if (!mayLoad) return;
    setLoadedFor({ jump, pages: pages + 1 });
    loadEarlier();
  }, [mayLoad, jump, pages, loadEarlier]);

  // A page that failed to load says so itself, with the list's own error.
  if (jump === null || (failure !== null && !present)) return { progress: null, reveal: null };
  if (present) return { progress: 'found', reveal: jump };
  if (!loaded || loading || mayLoad) return { progress: 'looking', reveal: null };
  return { progress: hasEarlier ? 'too_far' : 'missing', reveal: null };
}
