/** The inbox's calls: lists, messages and histories from the cache first, state changes, sending through the outbox, media, search, attachments and links. */
import { checkPickedFile } from '../../../common/attachments/attachment-check.js';
import { DEFAULT_SAFETY_POLICY } from '../../../common/safety/safety-policy.js';
import { openCustomerLink } from '../open-link.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type InboxCall =
  | 'listConversations'
  | 'listBusinessNumbers'
  | 'getConversation'
  | 'listMessages'
  | 'changeConversationState'
  | 'listConversationHistory'
  | 'listEarlierConversations'
  | 'sendMessage'
  | 'listOutbox'
  | 'retryOutbox'
  | 'discardOutbox'
  | 'markRead'
  | 'getMedia'
  | 'search'
  | 'pickAttachment'
  | 'openLink';

export function inboxHandlers(core: CoreContext): HandlerTable<InboxCall> {
  const { desktop } = core.platform;
  return {
    listConversations: (request) =>
      core
        .inbox()
        .read((sync) => sync.conversations(request.filter, request.state ?? 'open', request.cursor, request.limit ?? 50, request.number, request.label)),
    listBusinessNumbers: () => core.inbox().businessNumbers(),
    getConversation: ({ conversationId }) => core.inbox().read((sync) => sync.conversation(conversationId)),
    listMessages: (request) => core.inbox().read((sync) => sync.messages(request.conversationId, request.cursor, request.limit ?? 50)),
    changeConversationState: ({ conversationId, change }) => core.inbox().changeState(conversationId, change),
    listConversationHistory: (request) => core.inbox().read((sync) => sync.history(request.conversationId, request.cursor, request.limit ?? 50)),
    listEarlierConversations: (request) => core.inbox().read((sync) => sync.earlierConversations(request.conversationId, request.cursor, request.limit ?? 50)),
    sendMessage: (compose) => core.inbox().send(compose),
    listOutbox: async ({ conversationId }) => ({ entries: await core.inbox().outboxOf(conversationId) }),
    retryOutbox: ({ clientMessageId, confirmedCode }) => core.inbox().retry(clientMessageId, confirmedCode === true),
    discardOutbox: async ({ clientMessageId }) => {
      await core.inbox().discard(clientMessageId);
      return { done: true as const };
    },
    markRead: async ({ conversationId }) => {
      await core.inbox().markRead(conversationId);
      return { done: true as const };
    },
    getMedia: ({ mediaId }) => core.inbox().media(mediaId),
    search: async ({ query, limit, number }) => ({ hits: await core.inbox().search(query, limit ?? 30, number) }),
    pickAttachment: async () => {
      core.inbox();
      const picked = await desktop.pickFile();
      if (picked === null) return null;
      // The server runs the same check on the upload; checking here spares sending what it would refuse.
      const { kind, mimeType } = await checkPickedFile(picked.name, picked.bytes);
      const uploaded = await core.inbox().call((token) => core.api().uploadMedia(token, { kind, filename: picked.name, mimeType, bytes: picked.bytes }));
      return { attachmentId: uploaded.mediaId, filename: picked.name, kind, mimeType, size: uploaded.size };
    },
    openLink: async ({ url }) => {
      // The policy held (or read now); when it cannot be read, the safe defaults, as in the renderer.
      const { policy } = await core
        .inbox()
        .safety.get()
        .catch(() => ({ policy: DEFAULT_SAFETY_POLICY }));
      return openCustomerLink(url, policy.links, desktop);
    },
  };
}
