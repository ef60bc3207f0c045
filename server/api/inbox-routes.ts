/** The handlers of the client API's inbox routes (common/api/inbox-endpoints.ts): conversations, messages, sends, read receipts and media. */
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { Kysely } from 'kysely';
import type { ConversationSummary } from '../../common/api/inbox.js';
import type { INBOX_ENDPOINTS } from '../../common/api/inbox-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { isServerSendKey, SERVER_SEND_KEY_PREFIXES } from '../../common/messages/send-request.js';
import { agentActor } from '../audit/actor.js';
import { contactHistoryAccess, mayReadConversation } from '../inbox/contact-history.js';
import { historyPage } from '../inbox/conversation-history.js';
import { changeConversationState } from '../inbox/conversation-lifecycle.js';
import type { SnoozeScheduler } from '../inbox/snooze-wakeups.js';
import { fillAfterStateChange } from '../assignment/router.js';
import type { TeamFilling } from '../inbox/team-filling.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { conversationNotFound as notFound, visibleConversation as visibleTo } from '../inbox/visible-conversation.js';
import type { MediaStore } from '../media/media-store.js';
import { refuseUnreleasable } from '../media/media-release.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import type { OutboundMedia } from '../sending/outbound-media.js';
import type { SendService } from '../sending/send-service.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export interface InboxRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly now: () => number;
  readonly views: InboxViews;
  readonly sendService: SendService;
  readonly outboundMedia: OutboundMedia;
  readonly mediaStore: MediaStore;
  /** The safety policy now (attachments.refuseFilesWithoutCleanScan). */
  readonly policy: () => Promise<SafetyPolicy>;
  /** Where a snooze's end is scheduled (the job runner). */
  readonly snoozes: SnoozeScheduler;
  /** Who gets the room a change of state frees (server/routing/). */
  readonly routing?: TeamFilling;
}

export function inboxHandlers(deps: InboxRouteDeps): Handlers<typeof INBOX_ENDPOINTS> {
  /** The conversation, if this agent may see it; hidden ones are "not found", not "forbidden". */
  const visibleConversation = (principal: SessionPrincipal, id: number): Promise<ConversationSummary> => visibleTo(deps.views, principal, id);
  /** For reading: the rule, or its named exception for a contact's earlier conversation (contact-history.ts). */
  const readableConversation = async (principal: SessionPrincipal, id: number): Promise<ConversationSummary> => {
    const conversation = await deps.views.conversation(id);
    if (conversation === undefined) throw notFound(id);
    const { assignedAgentId, teamId, customer, businessPhoneNumberId: phoneNumberId } = conversation;
    if (!(await mayReadConversation(deps.db, principal, { id, assignedAgentId, teamId, contactId: customer.contactId, phoneNumberId }))) throw notFound(id);
    return conversation;
  };

  return {
    // Every list holds only what the principal may see: `all` is all of that.
    listConversations: ({ query, principal }) =>
      deps.views.listConversations(principal, query.filter, query.state, query.cursor, query.limit, query.number, query.label),
    listBusinessNumbers: () => deps.views.numbers(),
    getConversation: ({ params, principal }) => readableConversation(principal, params.id),
    listMessages: async ({ params, query, principal }) => {
      await readableConversation(principal, params.id);
      return deps.views.listMessages(params.id, query.cursor, query.limit);
    },
    changeConversationState: async ({ params, body, principal, request }) => {
      await visibleConversation(principal, params.id);
      const actor = { ...agentActor(principal, request.ip), agentId: principal.agentId };
      await deps.committer.submit(async (trx) => {
        const now = deps.now();
        await changeConversationState(trx, { conversationId: params.id, to: body, actor, now, snoozes: deps.snoozes });
        if (deps.routing !== undefined) await fillAfterStateChange(trx, deps.routing, params.id, now);
      });
      return { conversation: await visibleConversation(principal, params.id) };
    },
    listConversationHistory: async ({ params, query, principal }) => {
      await readableConversation(principal, params.id);
      return historyPage(deps.db, params.id, query.cursor, query.limit);
    },
    listEarlierConversations: async ({ params, query, principal }) => {
      const conversation = await readableConversation(principal, params.id);
      const history = await contactHistoryAccess(deps.db, principal, conversation.customer.contactId, conversation.businessPhoneNumberId);
      const page = await deps.views.listEarlierConversations(conversation, query.cursor, query.limit);
      return { ...page, items: page.items.filter((earlier) => history.readable || maySeeConversation(principal, earlier)) };
    },
    sendMessage: async ({ body, principal }) => {
      if (isServerSendKey(body.idempotencyKey)) {
        throw new CodedError(
          'invalid_request',
          `idempotencyKey may not begin with ${SERVER_SEND_KEY_PREFIXES.join(' or ')}: those keys are the server's own sends (a UUID is ideal).`,
        );
      }
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
      return deps.outboundMedia.upload({ kind: query.kind, mimeType, filename: query.filename, bytes }, principal, { deviceId: principal.deviceId });
    },
    downloadMedia: async ({ params, query, principal, reply }) => {
      const media = await deps.outboundMedia.downloadable(principal, params.id, query.messageId);
      if (media === undefined) throw new CodedError('media_not_found', `There is no file ${params.id} you may see.`);
      const policy = await deps.policy();
      // Being scanned (409), or judged already: infected, refused by its bytes, unscanned under a policy that keeps such files closed.
      if (media.scan_state !== null) refuseUnreleasable(media, policy);
      if (media.state !== 'stored' || media.sha256 === null || !deps.mediaStore.has(media.sha256)) {
        throw new CodedError(
          'media_not_found',
          media.state === 'failed' ? 'This file could not be fetched from WhatsApp.' : 'This file is still being fetched from WhatsApp: try again shortly.',
        );
      }
      refuseUnreleasable(media, policy);
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
