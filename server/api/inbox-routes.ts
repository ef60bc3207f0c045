/** The client API's inbox: conversations, messages, sends, read receipts and media. */
import {
  ConversationListQuery,
  ConversationPage,
  ConversationSummary,
  IdParams,
  MarkedRead,
  MarkReadBody,
  MediaDownloadQuery,
  MediaUploaded,
  MediaUploadQuery,
  MessageListQuery,
  MessagePage,
  SendAccepted,
  SendMessageBody,
} from '../../common/api/inbox.js';
import { MAX_INBOUND_MEDIA_BYTES } from '../../common/attachments/media-limits.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { maySeeConversation as maySee, seesEveryConversation } from '../../common/api/conversation-access.js';
import type { MediaStore } from '../media/media-store.js';
import type { OutboundMedia } from '../sending/outbound-media.js';
import type { SendService } from '../sending/send-service.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import { route } from './api-route.js';
import type { AnyApiRoute } from './api-route.js';

export interface InboxRouteDeps {
  readonly views: InboxViews;
  readonly sendService: SendService;
  readonly outboundMedia: OutboundMedia;
  readonly mediaStore: MediaStore;
}

const notFound = (id: number) => new CodedError('conversation_not_found', `There is no conversation ${id} you may see.`);

export function inboxRoutes(deps: InboxRouteDeps): AnyApiRoute[] {
  /** The conversation, if this agent may see it; hidden ones are "not found", not "forbidden". */
  const visibleConversation = async (principal: SessionPrincipal, id: number): Promise<ConversationSummary> => {
    const conversation = await deps.views.conversation(id);
    if (conversation === undefined || !maySee(principal, conversation.assignedAgentId)) throw notFound(id);
    return conversation;
  };

  return [
    route({
      method: 'GET',
      url: '/v1/conversations',
      summary: 'Conversations, most recent first: mine, unassigned, or all (supervisors and admins)',
      tag: 'inbox',
      access: 'session',
      query: ConversationListQuery,
      response: ConversationPage,
      handler: ({ query, principal }) => {
        if (query.filter === 'all' && !seesEveryConversation(principal)) throw new CodedError('forbidden_role', 'Only supervisors and administrators see all conversations.');
        return deps.views.listConversations(principal, query.filter, query.cursor, query.limit);
      },
    }),
    route({
      method: 'GET',
      url: '/v1/conversations/:id',
      summary: 'One conversation',
      tag: 'inbox',
      access: 'session',
      params: IdParams,
      response: ConversationSummary,
      handler: ({ params, principal }) => visibleConversation(principal, params.id),
    }),
    route({
      method: 'GET',
      url: '/v1/conversations/:id/messages',
      summary: 'A conversation’s messages, newest first',
      tag: 'inbox',
      access: 'session',
      params: IdParams,
      query: MessageListQuery,
      response: MessagePage,
      handler: async ({ params, query, principal }) => {
        await visibleConversation(principal, params.id);
        return deps.views.listMessages(params.id, query.cursor, query.limit);
      },
    }),
    route({
      method: 'POST',
      url: '/v1/messages',
      summary: 'Send a message (text, reply, media, template, reaction) with the caller’s idempotency key: the same key twice sends once',
      tag: 'inbox',
      access: 'session',
      body: SendMessageBody,
      response: SendAccepted,
      successStatus: 201,
      handler: async ({ body, principal }) => {
        await visibleConversation(principal, body.conversationId);
        const result = await deps.sendService.send(body, { agentId: principal.agentId, role: principal.role });
        const message = (await deps.views.messages([result.messageId])).get(result.messageId);
        if (message === undefined) throw new CodedError('internal_error', 'The message was stored but could not be read back.');
        return { message, duplicate: result.duplicate };
      },
    }),
    route({
      method: 'POST',
      url: '/v1/conversations/:id/read',
      summary: 'Mark the conversation read, here and on the customer’s phone',
      tag: 'inbox',
      access: 'session',
      params: IdParams,
      body: MarkReadBody,
      response: MarkedRead,
      handler: async ({ params, body, principal }) => {
        await visibleConversation(principal, params.id);
        await deps.sendService.markRead({ conversationId: params.id, upToMessageId: body.upToMessageId });
        return { conversation: await visibleConversation(principal, params.id) };
      },
    }),
    route({
      method: 'POST',
      url: '/v1/media',
      summary: 'Upload a file to send (raw bytes; content-type is its MIME type), checked by its bytes; returns the id a media send refers to, usable by the uploader only until sent',
      tag: 'inbox',
      access: 'session',
      query: MediaUploadQuery,
      rawBody: { maxBytes: MAX_INBOUND_MEDIA_BYTES },
      response: MediaUploaded,
      successStatus: 201,
      handler: async ({ query, request, principal }) => {
        const bytes = request.body;
        if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new CodedError('invalid_request', 'The upload is empty: send the file’s bytes as the request body.');
        const mimeType = request.headers['content-type'] ?? 'application/octet-stream';
        return deps.outboundMedia.upload({ kind: query.kind, mimeType, filename: query.filename, bytes }, principal);
      },
    }),
    route({
      method: 'GET',
      url: '/v1/media/:id',
      summary: 'Download a stored file (streamed): the caller’s own unsent upload, or one carried by a message (messageId, when named) in a conversation this session may see',
      tag: 'inbox',
      access: 'session',
      params: IdParams,
      query: MediaDownloadQuery,
      response: undefined,
      handler: async ({ params, query, principal, reply }) => {
        const media = await deps.outboundMedia.downloadable(principal, params.id, query.messageId);
        if (media === undefined) throw new CodedError('media_not_found', `There is no file ${params.id} you may see.`);
        if (media.state !== 'stored' || media.sha256 === null || !deps.mediaStore.has(media.sha256)) {
          throw new CodedError('media_not_found', media.state === 'failed' ? 'This file could not be fetched from WhatsApp.' : 'This file is still being fetched from WhatsApp: try again shortly.');
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
    }),
  ];
}
