/**
 * Applies one webhook's records inside the group transaction. Idempotent: Meta redelivers for
 * days, and a record already applied changes nothing and counts as a duplicate.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { MessageContent, PlainMessageContent } from '../../common/messages/message-content.js';
import { AMENDMENT_TYPES } from '../../common/messages/message-content.js';
import { applyMarketingPreference, changeContactNumber, resolveContact } from '../inbox/contacts.js';
import { noteMessage, openConversation } from '../inbox/conversations.js';
import { RECEIVED, recordStatus, STATUS_RANK } from '../inbox/message-status.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { MessageDirection } from '../store/schema.js';
import type { BusinessEventRecord, InboundMediaRef, IngestRecord, MessageRecord } from './ingest-records.js';

export type WebhookOutcome = 'stored' | 'duplicate' | 'ignored' | 'quarantined';

export interface AppliedWebhook {
  readonly outcome: WebhookOutcome;
  /** New messages, for the metrics. */
  readonly messages: ReadonlyArray<{ direction: MessageDirection; type: string }>;
  /** New media waiting to be downloaded. */
  readonly mediaQueued: number;
}

type RecordOutcome = 'stored' | 'duplicate' | 'neutral' | 'quarantined';

export async function applyWebhook(trx: StoreTransaction, records: readonly IngestRecord[], now: number): Promise<AppliedWebhook> {
  const counts = { stored: 0, duplicate: 0, quarantined: 0 };
  const messages: Array<{ direction: MessageDirection; type: string }> = [];
  let mediaQueued = 0;
  for (const record of records) {
    let outcome: RecordOutcome;
    switch (record.kind) {
      case 'message': {
        const applied = await applyMessage(trx, record, now);
        outcome = applied.outcome;
        if (applied.outcome === 'stored') messages.push({ direction: record.direction, type: record.content.type });
        if (applied.mediaQueued) mediaQueued += 1;
        break;
      }
      case 'status':
        outcome = (await recordStatus(trx, record, now)) ? 'stored' : 'duplicate';
        break;
      case 'contact_profile':
        await resolveContact(trx, record.customer, now);
        outcome = 'neutral';
        break;
      case 'marketing_preference': {
        const contactId = await resolveContact(trx, record.customer, now);
        outcome = (await applyMarketingPreference(trx, contactId, record.value, record.at)) ? 'stored' : 'duplicate';
        break;
      }
      case 'business_event':
        outcome = (await recordBusinessEvent(trx, record, now)) ? 'stored' : 'duplicate';
        break;
      case 'quarantine':
        await trx
          .insertInto('webhook_quarantine')
          .values({ reason: record.reason.slice(0, 500), payload: record.payload, payload_sha256: sha256(record.payload), received_at: now })
          .onConflict((oc) => oc.column('payload_sha256').doNothing())
          .execute();
        outcome = 'quarantined';
        break;
    }
    if (outcome !== 'neutral') counts[outcome] += 1;
  }
  const outcome: WebhookOutcome =
    counts.stored > 0 ? 'stored' : counts.quarantined > 0 ? 'quarantined' : counts.duplicate > 0 ? 'duplicate' : 'ignored';
  return { outcome, messages, mediaQueued };
}

async function applyMessage(trx: StoreTransaction, record: MessageRecord, now: number): Promise<{ outcome: RecordOutcome; mediaQueued: boolean }> {
  const existing = await trx.selectFrom('messages').select('id').where('wamid', '=', record.wamid).executeTakeFirst();
  if (existing !== undefined) return { outcome: 'duplicate', mediaQueued: false };

  const contactId = await resolveContact(trx, record.customer, now);
  const head = await openConversation(trx, contactId, record.phoneNumberId, now);
  const media = record.media === undefined ? undefined : await registerInboundMedia(trx, record.media, now);
  const content = record.content;
  const amendsWamid = content.type === 'reaction' || content.type === 'edit' || content.type === 'revoke' ? content.targetWamid : null;

  const inserted = await trx
    .insertInto('messages')
    .values({
      wamid: record.wamid,
      conversation_id: head.id,
      direction: record.direction,
      origin: record.origin,
      type: content.type,
      content_json: JSON.stringify(content),
      meta_json: record.meta === undefined ? null : JSON.stringify(record.meta),
      context_wamid: record.contextWamid ?? null,
      amends_wamid: amendsWamid,
      media_id: media?.id ?? null,
      sent_at: record.sentAt,
      received_at: now,
      status: record.direction === 'inbound' ? RECEIVED : 'sent',
      status_rank: record.direction === 'inbound' ? 0 : STATUS_RANK.sent,
      status_at: record.sentAt,
      error_code: null,
      error_title: null,
      error_reason: null,
      idempotency_key: null,
      request_hash: null,
      next_attempt_at: null,
      edited_at: null,
      deleted_at: null,
      raw_json: JSON.stringify(record.raw),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  switch (content.type) {
    case 'reaction':
      await trx
        .insertInto('reactions')
        .values({
          target_wamid: content.targetWamid,
          actor: record.direction === 'inbound' ? 'customer' : 'business',
          emoji: content.emoji,
          reacted_at: record.sentAt,
          source_wamid: record.wamid,
        })
        .onConflict((oc) =>
          oc
            .columns(['target_wamid', 'actor'])
            .doUpdateSet((eb) => ({ emoji: eb.ref('excluded.emoji'), reacted_at: eb.ref('excluded.reacted_at'), source_wamid: eb.ref('excluded.source_wamid') }))
            .where((eb) => eb('reactions.reacted_at', '<=', eb.ref('excluded.reacted_at'))),
        )
        .execute();
      break;
    case 'edit':
      await applyEdit(trx, content.targetWamid, record.direction, content.content, media?.id ?? null, record.sentAt);
      break;
    case 'revoke':
      await applyRevoke(trx, content.targetWamid, record.direction, record.sentAt);
      break;
    default:
      await applyEarlierAmendments(trx, record.wamid, record.direction);
      if (content.type === 'system' && content.newWaId !== undefined) await changeContactNumber(trx, contactId, content.newWaId, now);
  }

  await noteMessage(
    trx,
    head,
    {
      messageId: inserted.id,
      sentAt: record.sentAt,
      fromCustomer: record.direction === 'inbound' && content.type !== 'system',
      standalone: !AMENDMENT_TYPES.has(content.type),
    },
    now,
  );
  return { outcome: 'stored', mediaQueued: media?.queued === true };
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
 * (docs/inbox.md). Clients show it as deleted.
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

/** Edits and revocations that arrived before the message they change. */
async function applyEarlierAmendments(trx: StoreTransaction, wamid: string, direction: MessageDirection): Promise<void> {
  const amendments = await trx
    .selectFrom('messages')
    .select(['content_json', 'sent_at', 'media_id'])
    .where('amends_wamid', '=', wamid)
    .where('direction', '=', direction)
    .where('type', 'in', ['edit', 'revoke'])
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
  for (const amendment of amendments) {
    const content = JSON.parse(amendment.content_json) as MessageContent;
    if (content.type === 'edit') await applyEdit(trx, wamid, direction, content.content, amendment.media_id, amendment.sent_at);
    else if (content.type === 'revoke') await applyRevoke(trx, wamid, direction, amendment.sent_at);
  }
}

async function registerInboundMedia(trx: StoreTransaction, media: InboundMediaRef, now: number): Promise<{ id: number; queued: boolean }> {
  const inserted = await trx
    .insertInto('media')
    .values({
      direction: 'inbound',
      kind: media.kind,
      graph_media_id: media.graphMediaId,
      mime_type: media.mimeType,
      declared_sha256: media.declaredSha256 ?? null,
      declared_size: media.declaredSize ?? null,
      filename: media.filename ?? null,
      animated: media.animated ? 1 : 0,
      state: 'pending',
      sha256: null,
      size: null,
      next_attempt_at: now,
      last_error_code: null,
      last_error: null,
      graph_uploaded_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('graph_media_id').where(sql.ref('direction'), '=', sql.lit('inbound')).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return { id: inserted.id, queued: true };
  const existing = await trx
    .selectFrom('media')
    .select('id')
    .where('direction', '=', 'inbound')
    .where('graph_media_id', '=', media.graphMediaId)
    .executeTakeFirstOrThrow();
  return { id: existing.id, queued: false };
}

async function recordBusinessEvent(trx: StoreTransaction, record: BusinessEventRecord, now: number): Promise<boolean> {
  const payload = JSON.stringify(record.payload);
  const inserted = await trx
    .insertInto('business_events')
    .values({
      field: record.field,
      kind: record.eventKind,
      waba_id: record.wabaId ?? null,
      phone_number_id: record.phoneNumberId ?? null,
      occurred_at: record.occurredAt ?? null,
      payload_json: payload,
      dedupe_key: sha256(`${record.field}\n${record.eventKind}\n${record.wabaId ?? ''}\n${record.occurredAt ?? ''}\n${payload}`),
      received_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
