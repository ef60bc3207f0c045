/**
 * Applies one message record (inbound, or an echo of one sent from the WhatsApp Business app):
 * the contact, the conversation, the message row, its media, and what it changes when it is a
 * reaction, an edit or a revocation. Idempotent on the wamid. The statements run for every
 * message are prepared queries (docs/store.md).
 */
import { appendSafetyAudit } from '../safety/safety-actions.js';
import { consentFromButtonReply } from '../personal-data/consent-replies.js';
import { sql } from 'kysely';
import type { MessageContent, PlainMessageContent } from '../../common/messages/message-content.js';
import { AMENDMENT_TYPES } from '../../common/messages/message-content.js';
import { isCustomerBlocked } from '../blocks/customer-blocks.js';
import { changeContactNumber, resolveContact, resolveGroupContact } from '../inbox/contacts.js';
import { noteMessage, openConversation } from '../inbox/conversations.js';
import { RECEIVED, STATUS_RANK } from '../inbox/message-status.js';
import { firstMessageOf } from '../routing/first-message.js';
import type { TeamFilling } from '../inbox/team-filling.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';
import type { MessageDirection, MessageOrigin } from '../store/schema.js';
import type { InboundMediaRef, MessageRecord } from './ingest-records.js';

export interface AppliedMessage {
  readonly outcome: 'stored' | 'duplicate';
  /** A new media row waits to be downloaded. */
  readonly mediaQueued: boolean;
  /** The agent is warned of it (a request for a code): its safety row was appended. */
  readonly warned?: boolean;
  /** A customer's consent to promotions was recorded from their button reply: its safety row was appended. */
  readonly consented?: boolean;
}

const messageByWamid = prepareQuery((db, v: { wamid: string }) => db.selectFrom('messages').select('id').where('wamid', '=', v.wamid));

const insertMessage = prepareQuery((db, v: NewReceivedMessage) =>
  db
    .insertInto('messages')
    .values({
      wamid: v.wamid,
      conversation_id: v.conversationId,
      direction: v.direction,
      origin: v.origin,
      type: v.type,
      content_json: v.contentJson,
      meta_json: v.metaJson,
      context_wamid: v.contextWamid,
      amends_wamid: v.amendsWamid,
      media_id: v.mediaId,
      sent_at: v.sentAt,
      received_at: v.receivedAt,
      status: v.status,
      status_rank: v.statusRank,
      status_at: v.sentAt,
      error_code: null,
      error_title: null,
      error_reason: null,
      idempotency_key: null,
      request_hash: null,
      next_attempt_at: null,
      edited_at: null,
      deleted_at: null,
      raw_json: v.rawJson,
    })
    .returning('id'),
);

interface NewReceivedMessage {
  readonly wamid: string;
  readonly conversationId: number;
  readonly direction: MessageDirection;
  readonly origin: MessageOrigin;
  readonly type: string;
  readonly contentJson: string;
  readonly metaJson: string | null;
  readonly contextWamid: string | null;
  readonly amendsWamid: string | null;
  readonly mediaId: number | null;
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly status: string;
  readonly statusRank: number;
  readonly rawJson: string;
}

/** The latest reaction per side wins; an older one arriving late changes nothing. */
const upsertReaction = prepareQuery(
  (db, v: { targetWamid: string; actor: 'customer' | 'business'; emoji: string | null; reactedAt: number; sourceWamid: string }) =>
    db
      .insertInto('reactions')
      .values({ target_wamid: v.targetWamid, actor: v.actor, emoji: v.emoji, reacted_at: v.reactedAt, source_wamid: v.sourceWamid })
      .onConflict((oc) =>
        oc
          .columns(['target_wamid', 'actor'])
          .doUpdateSet((eb) => ({ emoji: eb.ref('excluded.emoji'), reacted_at: eb.ref('excluded.reacted_at'), source_wamid: eb.ref('excluded.source_wamid') }))
          .where((eb) => eb('reactions.reacted_at', '<=', eb.ref('excluded.reacted_at'))),
      ),
);

/** Store work run in the webhook's transaction when a customer's own message was stored: `writtenAt` is Meta's time for it. */
export type CustomerWrote = (trx: StoreTransaction, conversationId: number, writtenAt: number, now: number) => Promise<void>;

/** What the webhook's transaction does besides storing: who gets a conversation that begins (none: it waits in its team's queue), and store work for each customer's own message. */
export interface WebhookHooks {
  readonly routing?: TeamFilling;
  readonly customerWrote?: CustomerWrote;
  /** Customers' messages (by wamid) that ask for a code and that the agent is warned of: each stored one gets its `safety.codes.warned` row. */
  readonly codeRequests?: ReadonlySet<string>;
  /** Card numbers masked in the body before it was parsed (redact-webhook-cards.ts): each gets its `safety.cards.redacted` row when the body is kept, not on a redelivery. */
  readonly cardsMasked?: number;
}

export async function applyMessage(trx: StoreTransaction, record: MessageRecord, now: number, hooks: WebhookHooks = {}): Promise<AppliedMessage> {
  const existing = await messageByWamid.first(trx, { wamid: record.wamid });
  if (existing !== undefined) return { outcome: 'duplicate', mediaQueued: false };

  // A group's message is filed under the group (a contact holding no number) and is read-only:
  // not a customer writing, so no routing, no unread count, no service window, no away message.
  const group = record.groupId !== undefined;
  const contactId = record.groupId !== undefined ? await resolveGroupContact(trx, record.groupId, now) : await resolveContact(trx, record.customer, now);
  const content = record.content;
  const fromCustomer = !group && record.direction === 'inbound' && content.type !== 'system';
  const standalone = !AMENDMENT_TYPES.has(content.type);
  // A blocked customer's message is kept where it lands, as any message is, and does nothing else:
  // no new conversation, no reopening, no routing, no unread count (so no notification), no away message.
  const blocked = fromCustomer && (await isCustomerBlocked(trx, contactId, record.phoneNumberId));
  const customerWrites = fromCustomer && standalone && !blocked;
  const firstMessage = firstMessageOf(content, record.meta, customerWrites);
  const head = await openConversation(trx, contactId, record.phoneNumberId, now, customerWrites, firstMessage, blocked || group ? undefined : hooks.routing);
  const media = record.media === undefined ? undefined : await registerInboundMedia(trx, record.media, now);
  const amendsWamid = content.type === 'reaction' || content.type === 'edit' || content.type === 'revoke' ? content.targetWamid : null;

  const inserted = await insertMessage.firstOrThrow(trx, {
    wamid: record.wamid,
    conversationId: head.id,
    direction: record.direction,
    origin: record.origin,
    type: content.type,
    contentJson: JSON.stringify(content),
    metaJson: record.meta === undefined ? null : JSON.stringify(record.meta),
    contextWamid: record.contextWamid ?? null,
    amendsWamid,
    mediaId: media?.id ?? null,
    sentAt: record.sentAt,
    receivedAt: now,
    status: record.direction === 'inbound' ? RECEIVED : 'sent',
    statusRank: record.direction === 'inbound' ? 0 : STATUS_RANK.sent,
    rawJson: JSON.stringify(record.raw),
  });

  switch (content.type) {
    case 'reaction':
      await upsertReaction.execute(trx, {
        targetWamid: content.targetWamid,
        actor: record.direction === 'inbound' ? 'customer' : 'business',
        emoji: content.emoji,
        reactedAt: record.sentAt,
        sourceWamid: record.wamid,
      });
      break;
    case 'edit':
      await applyEdit(trx, content.targetWamid, record.direction, content.content, media?.id ?? null, record.sentAt);
      break;
    case 'revoke':
      await applyRevoke(trx, content.targetWamid, record.direction, record.sentAt);
      break;
    default:
      await applyEarlierAmendments(trx, record.wamid, record.direction);
      if (content.type === 'system' && content.newWaId !== undefined && !group) await changeContactNumber(trx, contactId, content.newWaId, now);
  }

  await noteMessage(trx, head, { messageId: inserted.id, sentAt: record.sentAt, fromCustomer, standalone, quiet: blocked }, now);
  if (customerWrites && hooks.customerWrote !== undefined) await hooks.customerWrote(trx, head.id, record.sentAt, now);
  const warned = fromCustomer && hooks.codeRequests?.has(record.wamid) === true;
  if (warned) await appendSafetyAudit(trx, { rule: 'codes', action: 'warned', conversationId: head.id, messageId: inserted.id }, now);
  // A tap on a promotions request's Yes or No records the customer's consent (server/personal-data/consent-replies.ts).
  const consented =
    fromCustomer &&
    content.type === 'interactive_reply' &&
    (await consentFromButtonReply(trx, { conversationId: head.id, messageId: inserted.id, content }, now));
  return { outcome: 'stored', mediaQueued: media?.queued === true, warned, consented };
}

/** An edit replaces the content of the same author's message; an older edit never wins over a newer one. */
async function applyEdit(
  trx: StoreTransaction,
  targetWamid: string,
  direction: MessageDirection,
  content: PlainMessageContent,
  mediaId: number | null,
  at: number,
): Promise<void> {
  await trx
    .updateTable('messages')
    .set((eb) => ({
      type: content.type,
      content_json: JSON.stringify(content),
      media_id: mediaId === null ? eb.ref('media_id') : eb.val(mediaId),
      edited_at: at,
    }))
    .where('wamid', '=', targetWamid)
    .where('direction', '=', direction)
    .where((eb) => eb.or([eb('edited_at', 'is', null), eb('edited_at', '<', at)]))
    .execute();
}

/**
 * Deleted for everyone: the message is marked, not erased; the server is the company's record
 * (docs/inbox-server.md). Clients show it as deleted.
 */
async function applyRevoke(trx: StoreTransaction, targetWamid: string, direction: MessageDirection, at: number): Promise<void> {
  await trx
    .updateTable('messages')
    .set({ deleted_at: at })
    .where('wamid', '=', targetWamid)
    .where('direction', '=', direction)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Reactions, edits and revocations of a message, whichever came first. */
const amendmentsOf = prepareQuery((db, v: { wamid: string }) =>
  db.selectFrom('messages').select(['id', 'direction', 'type', 'content_json', 'sent_at', 'media_id']).where('amends_wamid', '=', v.wamid),
);

/**
 * Edits and revocations by the same side that arrived before the message they change, oldest
 * first. Nearly always none, so this is one lookup in the amends_wamid index, and the rest is
 * done here: in SQL, `direction = ?` makes SQLite prepare the statement again on every run
 * (it matches the parameter against the partial indexes' predicates), an IN list builds a
 * temporary table and the sort a sorter, each costing more than the lookup.
 */
async function applyEarlierAmendments(trx: StoreTransaction, wamid: string, direction: MessageDirection): Promise<void> {
  const amendments = (await amendmentsOf.all(trx, { wamid }))
    .filter((row) => row.direction === direction && (row.type === 'edit' || row.type === 'revoke'))
    .sort((a, b) => a.sent_at - b.sent_at || a.id - b.id);
  for (const amendment of amendments) {
    const content = JSON.parse(amendment.content_json) as MessageContent;
    if (content.type === 'edit') await applyEdit(trx, wamid, direction, content.content, amendment.media_id, amendment.sent_at);
    else if (content.type === 'revoke') await applyRevoke(trx, wamid, direction, amendment.sent_at);
  }
}

const insertInboundMedia = prepareQuery((db, v: InboundMediaRow) =>
  db
    .insertInto('media')
    .values({
      direction: 'inbound',
      kind: v.kind,
      graph_media_id: v.graphMediaId,
      mime_type: v.mimeType,
      declared_sha256: v.declaredSha256,
      declared_size: v.declaredSize,
      filename: v.filename,
      animated: v.animated,
      state: 'pending',
      sha256: null,
      size: null,
      next_attempt_at: v.now,
      last_error_code: null,
      last_error: null,
      graph_uploaded_at: null,
      created_at: v.now,
      updated_at: v.now,
    })
    .onConflict((oc) => oc.column('graph_media_id').where(sql.ref('direction'), '=', sql.lit('inbound')).doNothing())
    .returning('id'),
);

interface InboundMediaRow {
  readonly kind: string;
  readonly graphMediaId: string;
  readonly mimeType: string;
  readonly declaredSha256: string | null;
  readonly declaredSize: number | null;
  readonly filename: string | null;
  readonly animated: number;
  readonly now: number;
}

const inboundMediaByGraphId = prepareQuery((db, v: { graphMediaId: string }) =>
  db.selectFrom('media').select('id').where('direction', '=', sql.lit('inbound')).where('graph_media_id', '=', v.graphMediaId),
);

async function registerInboundMedia(trx: StoreTransaction, media: InboundMediaRef, now: number): Promise<{ id: number; queued: boolean }> {
  const inserted = await insertInboundMedia.first(trx, {
    kind: media.kind,
    graphMediaId: media.graphMediaId,
    mimeType: media.mimeType,
    declaredSha256: media.declaredSha256 ?? null,
    declaredSize: media.declaredSize ?? null,
    filename: media.filename ?? null,
    animated: media.animated ? 1 : 0,
    now,
  });
  if (inserted !== undefined) return { id: inserted.id, queued: true };
  const existing = await inboundMediaByGraphId.firstOrThrow(trx, { graphMediaId: media.graphMediaId });
  return { id: existing.id, queued: false };
}
