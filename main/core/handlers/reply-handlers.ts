/**
 * The calls of quick replies and labels: using them (the signed-in agent's, from the server), a
 * conversation's labels, and managing them (the server judges which scopes this agent manages).
 */
import type { CoreContext, HandlerTable } from './core-context.js';

export type ReplyCall =
  | 'listQuickReplies'
  | 'listLabels'
  | 'setConversationLabel'
  | 'manageListQuickReplies'
  | 'manageSaveQuickReply'
  | 'manageRemoveQuickReply'
  | 'manageListLabels'
  | 'manageSaveLabel'
  | 'manageRemoveLabel';

const done = { done: true } as const;

export function replyHandlers(core: CoreContext): HandlerTable<ReplyCall> {
  const api = () => core.api();
  const call = <T>(work: (token: string) => Promise<T>) => core.inbox().call(work);
  return {
    listQuickReplies: () => call((token) => api().quickReplies(token)),
    listLabels: () => call((token) => api().labels(token)),
    setConversationLabel: ({ conversationId, labelId, on }) => call((token) => api().conversationLabel(token, conversationId, labelId, on)),
    manageListQuickReplies: () => call((token) => api().managedQuickReplies(token)),
    manageSaveQuickReply: ({ id, reply }) => call((token) => api().saveQuickReply(token, id, reply)),
    manageRemoveQuickReply: async ({ id }) => {
      await call((token) => api().removeQuickReply(token, id));
      return done;
    },
    manageListLabels: () => call((token) => api().managedLabels(token)),
    manageSaveLabel: ({ id, label }) => call((token) => api().saveLabel(token, id, label)),
    manageRemoveLabel: async ({ id }) => {
      await call((token) => api().removeLabel(token, id));
      return done;
    },
  };
}
