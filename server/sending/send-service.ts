/**
 * The sending service: checks a send, stores it as a queued outbound message under the caller's
 * idempotency key, and hands it to the dispatcher. The same key twice sends once. Free-form
 * messages outside the 24-hour window are refused here, before anything reaches Meta.
 */
import crypto from 'node:crypto';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { supervisesTeam } from '../../common/api/conversation-access.js';
import type { MediaKind } from '../../common/attachments/media-limits.js';
import { sendRequestTexts } from '../../common/cards/outbound-cards.js';
import type { CardRefusals } from '../../common/cards/outbound-cards.js';
import type { LinkRefusals } from '../../common/links/outbound-links.js';
import type { MessageContent, ReplyButton } from '../../common/messages/message-content.js';
import { MarkReadRequest, SendRequest } from '../../common/messages/send-request.js';
import { isConversationBlocked } from '../blocks/customer-blocks.js';
import { isGroupConversation } from '../inbox/contacts.js';
import { claimed, recordHistory } from '../inbox/conversation-history.js';
import { claimUnassigned } from '../inbox/claim-unassigned.js';
import { isServiceWindowOpen, noteMessage } from '../inbox/conversations.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { BusinessNumbers } from '../numbers/business-numbers.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { OutboundDispatcher } from './outbound-dispatcher.js';
import type { OutboundMedia, PreparedMedia } from './outbound-media.js';
import { insertQueuedOutbound } from './queued-outbound.js';
import { SendError } from './send-errors.js';
import { attachHeaderUpload, headerUploadOf } from './template-header-upload.js';
import type { CodeGuard } from '../safety/code-guard.js';
import type { TemplateSendCheck } from '../templates/template-send-check.js';
import { refuseGroupRecipient } from '../safety/group-guard.js';
import type { GroupGuard } from '../safety/group-guard.js';
import type { AskedWithPurpose, PersonalDataGuard } from '../personal-data/personal-data-guard.js';
import type { PurposeLanguage } from '../../common/personal-data/personal-data-purpose.js';
import { againAfterUniqueRace } from '../store/unique-race.js';

/** The agent sending through the client API; a supervisor of the conversation's team may answer one assigned to someone else. */
export type Sender = ConversationViewer;

export interface SendResult {
  readonly messageId: number;
  readonly conversationId: number;
  readonly status: string;
  /** True when this idempotency key had been used already: nothing new was sent. */
  readonly duplicate: boolean;
}

/** What the server itself adds to an agent's send. */
export interface SendOptions {
  /** Hosts the text may link to besides the policy's allow list: a payment link's provider (server/payments/). */
  readonly alsoAllowedHosts?: readonly string[];
}

interface Deps {
  readonly committer: GroupCommitter;
  readonly media: OutboundMedia;
  readonly dispatcher: OutboundDispatcher;
  /** The numbers we send from: each conversation is answered from its own. */
  readonly numbers: BusinessNumbers;
  readonly metrics: ServerMetrics;
  /** Card numbers in what agents write (common/cards/outbound-cards.ts). */
  readonly cards: CardRefusals;
  /** One-time codes, PINs and recovery codes in what agents send (server/safety/code-guard.ts). */
  readonly codes: Pick<CodeGuard, 'check' | 'confirmedIn' | 'confirmedCommitted'>;
  readonly links: LinkRefusals;
  /** No path sends to a WhatsApp group (server/safety/group-guard.ts). */
  readonly groups: Pick<GroupGuard, 'refused'>;
  /** Personal data asked without its purpose, and the line that tells it (server/personal-data/personal-data-guard.ts). */
  readonly personalData: Pick<PersonalDataGuard, 'check' | 'explained' | 'recordIn' | 'explainedCommitted'>;
  /** A template send judged against the synced templates (server/templates/template-send-check.ts). */
  readonly templates: Pick<TemplateSendCheck, 'content' | 'refused'>;
  readonly now?: () => number;
}

export class SendService {
  readonly #deps: Deps;
  readonly #now: () => number;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * `sender`: the agent sending through the client API. An unassigned conversation becomes theirs;
   * one assigned to another agent is refused unless the sender supervises its team.
   */
  async send(input: unknown, sender?: Sender, options: SendOptions = {}): Promise<SendResult> {
    const parsed = SendRequest.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SendError('invalid_request', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
    }
    const request = parsed.data;
    // Before anything is stored under the key: a card number or a link agents may not send never
    // reaches the store or Meta, and a code goes only once the agent confirmed it.
    const writer = { agentId: sender?.agentId ?? null, conversationId: request.conversationId };
    let confirmedCode: boolean;
    let asked: AskedWithPurpose | undefined;
    try {
      const texts = sendRequestTexts(request);
      await this.#deps.cards.refuse('message', texts, writer);
      await this.#deps.links.refuse('message', texts, { ...writer, alsoAllowedHosts: options.alsoAllowedHosts });
      confirmedCode = await this.#deps.codes.check(texts, request.confirmedCode === true, writer);
      asked = await this.#deps.personalData.check(request, writer);
    } catch (error) {
      this.#deps.metrics.sends.inc({ outcome: 'refused' });
      throw error;
    }
    // The confirmation is about the agent, not the message: a retry with or without it is the same send.
    const { idempotencyKey: _key, confirmedCode: _confirmed, ...rest } = request;
    const requestHash = crypto.createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    // A refusal waits for the transaction: the same idempotency key again answers with what was sent.
    const upload = request.kind === 'media' ? request.mediaId : headerUploadOf(request);
    const media =
      upload !== undefined
        ? await this.#deps.media.prepareSend(sender, upload).catch((error: unknown) => ({ refused: error instanceof Error ? error : new Error(String(error)) }))
        : undefined;
    // Two replicas given the same key at once: the one that lost the insert answers with the other's message.
    const { phoneNumberId, explained, ...result } = await againAfterUniqueRace(() =>
      this.#deps.committer.submit(async (trx) => {
        const stored = await this.#store(trx, request, requestHash, sender, media, asked);
        if (confirmedCode && !stored.duplicate) await this.#deps.codes.confirmedIn(trx, { ...writer, messageId: stored.messageId }, this.#now());
        return stored;
      }),
    ).catch(async (error: unknown) => {
      await this.#deps.groups.refused(error, writer);
      await this.#deps.templates.refused(error, writer);
      throw error;
    });
    if (confirmedCode && !result.duplicate) this.#deps.codes.confirmedCommitted();
    if (explained === true) this.#deps.personalData.explainedCommitted();
    this.#deps.metrics.sends.inc({ outcome: result.duplicate ? 'duplicate' : 'queued' });
    if (phoneNumberId !== undefined) this.#deps.dispatcher.enqueue(result.conversationId, result.messageId, phoneNumberId);
    return result;
  }

  async #store(
    trx: StoreTransaction,
    request: SendRequest,
    requestHash: string,
    sender: Sender | undefined,
    prepared: PreparedMedia | { refused: Error } | undefined,
    asked: AskedWithPurpose | undefined,
  ): Promise<SendResult & { phoneNumberId?: string; explained?: boolean }> {
    const existing = await trx
      .selectFrom('messages')
      .select(['id', 'conversation_id', 'status', 'request_hash'])
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirst();
    if (existing !== undefined) {
      if (existing.request_hash !== requestHash) {
        throw new SendError('idempotency_key_reused', 'This idempotency key was already used for a different message; use a new key for a new message.');
      }
      return { messageId: existing.id, conversationId: existing.conversation_id, status: existing.status, duplicate: true };
    }
    const conversation = await trx
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select([
        'conversations.id',
        'conversations.business_phone_number_id',
        'conversations.last_inbound_at',
        'conversations.last_message_at',
        'conversations.assigned_agent_id',
        'conversations.state',
        'conversations.team_id',
        'conversations.contact_id',
        'contacts.wa_id',
        'contacts.user_id',
        'contacts.group_id',
      ])
      .where('conversations.id', '=', request.conversationId)
      .executeTakeFirst();
    if (conversation === undefined) throw new SendError('conversation_not_found', `There is no conversation ${request.conversationId}.`);
    refuseGroupRecipient(conversation, conversation.id);
    const line = this.#deps.numbers.line(conversation.business_phone_number_id);
    if (line === undefined) {
      throw new SendError('conversation_on_other_number', 'This conversation belongs to a business number this server is not configured to send from.');
    }
    if (line.health.state !== 'ok') {
      throw new SendError(
        'channel_needs_reauthorization',
        line.health.reason ?? `The WhatsApp number ${line.displayName} must be re-authorised before anything can be sent from it.`,
      );
    }
    if (
      sender !== undefined &&
      conversation.assigned_agent_id !== null &&
      conversation.assigned_agent_id !== sender.agentId &&
      !supervisesTeam(sender, conversation.team_id)
    ) {
      throw new SendError('conversation_assigned_elsewhere', 'Another agent is handling this conversation: ask them or a supervisor to hand it over.');
    }
    if (conversation.state === 'resolved') {
      throw new SendError('conversation_resolved', 'This conversation is resolved: reopen it to write to the customer.');
    }
    if (conversation.wa_id === null && conversation.user_id === null) {
      throw new SendError('recipient_unknown', 'The customer has neither a phone number nor a user id on record.');
    }
    if (await isConversationBlocked(trx, conversation.id)) {
      this.#deps.metrics.sends.inc({ outcome: 'refused' });
      throw new SendError('customer_blocked', 'This customer is blocked on this number: nothing can be sent to them until a supervisor unblocks them.');
    }
    const now = this.#now();
    if (request.kind !== 'template' && !isServiceWindowOpen(conversation.last_inbound_at, now)) {
      this.#deps.metrics.sends.inc({ outcome: 'refused' });
      throw new SendError(
        'template_required',
        conversation.last_inbound_at === null
          ? 'The customer has not written yet: only an approved template can start this conversation.'
          : 'More than 24 hours have passed since the customer last wrote: only an approved template can be sent now.',
        { lastInboundAt: conversation.last_inbound_at },
      );
    }

    const contextWamid = request.replyToMessageId === undefined ? null : await this.#wamidOf(trx, request.replyToMessageId, request.conversationId);
    let content: MessageContent;
    let mediaId: number | null = null;
    let amendsWamid: string | null = null;
    let language: PurposeLanguage | undefined;
    let buttons: ReplyButton[] | undefined;
    const explain = async (text: string, limit: 'text' | 'caption') => {
      if (asked === undefined) return text;
      const explained = await this.#deps.personalData.explained(trx, asked, conversation.id, text, limit);
      ({ language, buttons } = explained);
      return explained.text;
    };
    switch (request.kind) {
      case 'text':
        content = { type: 'text', body: await explain(request.text, 'text'), previewUrl: request.previewUrl };
        if (buttons !== undefined) content.buttons = buttons;
        break;
      case 'template': {
        const header = await attachHeaderUpload(trx, this.#deps.media, sender, prepared, request, conversation.id);
        mediaId = header.mediaId;
        content = await this.#deps.templates.content(trx, header.request, { wabaId: line.wabaId, contactId: conversation.contact_id });
        break;
      }
      case 'reaction':
        amendsWamid = await this.#wamidOf(trx, request.targetMessageId, request.conversationId);
        content = { type: 'reaction', targetWamid: amendsWamid, emoji: request.emoji === '' ? null : request.emoji };
        break;
      case 'media': {
        if (prepared === undefined) throw new SendError('media_not_found', `There is no stored file ${request.mediaId} to send.`);
        if ('refused' in prepared) throw prepared.refused;
        const media = await this.#deps.media.attach(trx, sender, prepared, conversation.id);
        mediaId = media.id;
        const kind = media.kind as MediaKind;
        content = {
          type: kind,
          mimeType: media.mime_type,
          caption: kind === 'audio' || kind === 'sticker' || request.caption === undefined ? undefined : await explain(request.caption, 'caption'),
          filename: media.filename ?? undefined,
        };
        break;
      }
    }

    const messageId = await insertQueuedOutbound(
      trx,
      {
        conversationId: conversation.id,
        origin: 'agent',
        content,
        contextWamid,
        amendsWamid,
        mediaId,
        idempotencyKey: request.idempotencyKey,
        requestHash,
        sentByAgentId: sender?.agentId ?? null,
      },
      now,
    );
    if (asked !== undefined && language !== undefined) {
      const sent = { agentId: sender?.agentId ?? null, conversationId: conversation.id, contactId: conversation.contact_id, messageId, language };
      await this.#deps.personalData.recordIn(trx, asked, sent, now);
    }
    await noteMessage(trx, conversation, { messageId, sentAt: now, fromCustomer: false, standalone: request.kind !== 'reaction' }, now);
    if (sender !== undefined && conversation.assigned_agent_id === null) {
      if (await claimUnassigned(trx, conversation.id, sender.agentId, now)) await recordHistory(trx, claimed(conversation.id, sender.agentId, now));
    }
    return {
      messageId,
      conversationId: conversation.id,
      status: 'queued',
      duplicate: false,
      phoneNumberId: conversation.business_phone_number_id,
      explained: language !== undefined,
    };
  }

  /** Marks the conversation read on the customer's phone (blue ticks) up to a message. */
  async markRead(input: unknown): Promise<{ queued: boolean }> {
    const parsed = MarkReadRequest.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SendError('invalid_request', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
    }
    const { conversationId, upToMessageId } = parsed.data;
    const now = this.#now();
    const queued = await this.#deps.committer.submit(async (trx) => {
      let query = trx
        .selectFrom('messages')
        .select(['id', 'wamid'])
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', 'inbound')
        .where('wamid', 'is not', null)
        .orderBy('id', 'desc')
        .limit(1);
      if (upToMessageId !== undefined) query = query.where('id', '<=', upToMessageId);
      const latest = await query.executeTakeFirst();
      if (latest?.wamid == null) {
        const exists = await trx.selectFrom('conversations').select('id').where('id', '=', conversationId).executeTakeFirst();
        if (exists === undefined) throw new SendError('conversation_not_found', `There is no conversation ${conversationId}.`);
        return false;
      }
      const conversation = await trx
        .updateTable('conversations')
        .set({ unread_count: 0, updated_at: now })
        .where('id', '=', conversationId)
        .returning('business_phone_number_id')
        .executeTakeFirstOrThrow();
      const previous = await trx.selectFrom('read_receipts').select(['wamid', 'state']).where('conversation_id', '=', conversationId).executeTakeFirst();
      if (previous?.wamid === latest.wamid) return false;
      // Read here, never on WhatsApp: nothing goes to a group (server/safety/group-guard.ts).
      if (await isGroupConversation(trx, conversationId)) return false;
      const row = {
        conversation_id: conversationId,
        wamid: latest.wamid,
        state: 'queued' as const,
        attempts: 0,
        next_attempt_at: null,
        error_code: null,
        error_reason: null,
        updated_at: now,
      };
      await trx
        .insertInto('read_receipts')
        .values(row)
        .onConflict((oc) => oc.column('conversation_id').doUpdateSet(row))
        .execute();
      return conversation.business_phone_number_id;
    });
    if (queued !== false) this.#deps.dispatcher.enqueueReadReceipt(conversationId, queued);
    return { queued: queued !== false };
  }

  async #wamidOf(trx: StoreTransaction, messageId: number, conversationId: number): Promise<string> {
    const message = await trx
      .selectFrom('messages')
      .select(['wamid'])
      .where('id', '=', messageId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (message?.wamid == null) {
      throw new SendError('message_not_found', `Message ${messageId} is not in this conversation, or has not reached WhatsApp yet.`);
    }
    return message.wamid;
  }
}
