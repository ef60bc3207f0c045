/** The handlers of the client API's inbox routes (common/api/inbox-endpoints.ts): conversations, messages, sends, read receipts and media. */
import type { ConversationSummary } from '../../common/api/inbox.js';
import type { INBOX_ENDPOINTS } from '../../common/api/inbox-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { MediaStore } from '../media/media-store.js';
import type { OutboundMedia } from '../sending/outbound-media.js';
import type { SendService } from '../sending/send-service.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { Handlers } from './api-route.js';

export interface InboxRouteDeps {
  readonly views: InboxViews;
  readonly sendService: SendService;
  readonly outboundMedia: OutboundMedia;
  readonly mediaStore: MediaStore;
}

const notFound = (id: number) => new CodedError('conversation_not_found', `There is no conversation ${id} you may see.`);

export function inboxHandlers(deps: InboxRouteDeps): Handlers<typeof INBOX_ENDPOINTS> {
  /** The conversation, if this agent may see it; hidden ones are "not found", not "forbidden". */
  const visibleConversation = async (principal: SessionPrincipal, id: number): Promise<ConversationSummary> => {
    const conversation = await deps.views.conversation(id);
    if (conversation === undefined || !maySeeConversation(principal, conversation)) throw notFound(id);
    return conversation;
  };

  return {
    // Every list holds only what the principal may see: `all` is all of that.
    listConversations: ({ query, principal }) => deps.views.listConversations(principal, query.filter, query.cursor, query.limit, query.number),
    listBusinessNumbers: () => deps.views.numbers(),
    getConversation: ({ params, principal }) => visibleConversation(principal, params.id),
    listMessages: async ({ params, query, principal }) => {
      await visibleConversation(principal, params.id);
      return deps.views.listMessages(params.id, query.cursor, query.limit);
    },
    sendMessage: async ({ body, principal }) => {
      await visibleConversation(principal, body.conversationId);
      const result = await deps.sendService.send(body, principal);
      const message = (await deps.views.messages([result.messageId])).get(result.messageId);
      if (message === undefined) throw new CodedError('internal_error', 'The message was stored but could not be read back.');
      return { message, duplicate: result.duplicate };
    },
    markRead: async ({ params, body, principal }) => {
      await visibleConversation(principal, params.id);
      await deps.sendService.markRead({ conversationId: params.id, upToMessageId: body.upToMessageId });
      return { conversation: await visibleConversation(principal, params.id) };
    },
    uploadMedia: async ({ query, request, principal }) => {
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0)
        throw new CodedError('invalid_request', 'The upload is empty: send the file’s bytes as the request body.');
      const mimeType = request.headers['content-type'] ?? 'application/octet-stream';
      return deps.outboundMedia.upload({ kind: query.kind, mimeType, filename: query.filename, bytes }, principal);
    },
    downloadMedia: async ({ params, query, principal, reply }) => {
      const media = await deps.outboundMedia.downloadable(principal, params.id, query.messageId);
      if (media === undefined) throw new CodedError('media_not_found', `There is no file ${params.id} you may see.`);
      if (media.state !== 'stored' || media.sha256 === null || !deps.mediaStore.has(media.sha256)) {
        throw new CodedError(
          'media_not_found',
          media.state === 'failed' ? 'This file could not be fetched from WhatsApp.' : 'This file is still being fetched from WhatsApp: try again shortly.',
        );
      }
      const filename = (media.filename ?? `file-${media.id}`).replace(/["\\\r\n]/g, '_');
      await reply
        .code(200)
        .header('content-type', media.mime_type)
        .header('content-disposition', `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('x-sportello-sha256', media.sha256)
        .send(deps.mediaStore.openReadStream(media.sha256));
      return undefined;
    },
  };
}
