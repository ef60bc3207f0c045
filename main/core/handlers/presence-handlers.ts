/** The calls of presence: the agent's availability and time zone, and the conversation shown and typed in (debounced in main). */
import type { CoreContext, HandlerTable } from './core-context.js';

export type PresenceCall = 'getMyStatus' | 'setAvailability' | 'setTimeZone' | 'viewConversation' | 'typingIn';

const done = { done: true as const };

export function presenceHandlers(core: CoreContext): HandlerTable<PresenceCall> {
  return {
    getMyStatus: () => core.inbox().desk.status(),
    setAvailability: ({ available }) => core.inbox().desk.setAvailability(available),
    setTimeZone: ({ timeZone }) => core.inbox().desk.setTimeZone(timeZone),
    // The lock screen may already show when the inbox lets the conversation go: nothing to refuse then.
    viewConversation: ({ conversationId }) => {
      if (conversationId === null) core.session()?.desk.presence.view(null);
      else core.inbox().desk.presence.view(conversationId);
      return Promise.resolve(done);
    },
    typingIn: ({ conversationId }) => {
      core.inbox().desk.presence.keyTyped(conversationId);
      return Promise.resolve(done);
    },
  };
}
