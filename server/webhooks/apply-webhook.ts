/**
 * Applies one webhook's records inside the group transaction. Idempotent: Meta redelivers for
 * days, and a record already applied changes nothing and counts as a duplicate. It touches
 * nothing but the store, so the group committer may run it again after a rollback (replayable).
 */
import { appendSafetyAudit } from '../safety/safety-actions.js';
import crypto from 'node:crypto';
import { applyMarketingPreference, resolveContact } from '../inbox/contacts.js';
import { recordStatus } from '../inbox/message-status.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';
import type { MessageDirection } from '../store/schema.js';
import { applyMessage } from './apply-message.js';
import { applyTemplateWebhook } from '../templates/template-webhooks.js';
import type { WebhookHooks } from './apply-message.js';
import type { BusinessEventRecord, IngestRecord, UnknownNumberRecord } from './ingest-records.js';

export type WebhookOutcome = 'stored' | 'duplicate' | 'ignored' | 'quarantined' | 'unknown_number';

export interface AppliedWebhook {
  readonly outcome: WebhookOutcome;
  /** New messages, for the metrics. */
  readonly messages: ReadonlyArray<{ direction: MessageDirection; type: string }>;
  /** New media waiting to be downloaded. */
  readonly mediaQueued: number;
  /** Bodies newly kept as from a number not served here, by why. */
  readonly unknownNumbers: ReadonlyArray<UnknownNumberRecord['reason']>;
  /** Customers' messages stored that ask for a code, whose warning was audited (to count once committed). */
  readonly codeWarnings: number;
  /** Card numbers masked in a body newly kept, each audited (to count once committed). */
  readonly cardsMasked: number;
  /** Customers' consents to promotions recorded from their button replies, each audited (to count once committed). */
  readonly consents: number;
  /** Templates a template webhook changed (server/templates/template-webhooks.ts): announced once committed. */
  readonly templatesChanged: readonly string[];
}

type RecordOutcome = 'stored' | 'duplicate' | 'neutral' | 'quarantined' | 'unknown_number';

/** `hooks`: who gets the conversations that begin, and store work for each customer's own message (server/hours/away-message.ts). */
export async function applyWebhook(trx: StoreTransaction, records: readonly IngestRecord[], now: number, hooks: WebhookHooks = {}): Promise<AppliedWebhook> {
  const counts = { stored: 0, duplicate: 0, quarantined: 0, unknown_number: 0 };
  const unknownNumbers: Array<UnknownNumberRecord['reason']> = [];
  const messages: Array<{ direction: MessageDirection; type: string }> = [];
  let mediaQueued = 0;
  let codeWarnings = 0;
  let consents = 0;
  const templatesChanged: string[] = [];
  for (const record of records) {
    let outcome: RecordOutcome;
    switch (record.kind) {
      case 'message': {
        const applied = await applyMessage(trx, record, now, hooks);
        outcome = applied.outcome;
        if (applied.outcome === 'stored') messages.push({ direction: record.direction, type: record.content.type });
        if (applied.mediaQueued) mediaQueued += 1;
        if (applied.warned === true) codeWarnings += 1;
        if (applied.consented === true) consents += 1;
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
        if (outcome === 'stored') {
          const changed = await applyTemplateWebhook(trx, record, now);
          if (changed !== undefined) templatesChanged.push(changed);
        }
        break;
      case 'quarantine':
        await insertQuarantine.execute(trx, { reason: record.reason.slice(0, 500), payload: record.payload, payloadSha256: sha256(record.payload), now });
        outcome = 'quarantined';
        break;
      case 'unknown_number': {
        const kept = await insertUnknownNumber.first(trx, {
          phoneNumberId: record.phoneNumberId,
          wabaId: record.wabaId ?? null,
          reason: record.reason,
          payload: record.payload,
          payloadSha256: sha256(`${record.phoneNumberId}\n${record.payload}`),
          now,
        });
        if (kept !== undefined) unknownNumbers.push(record.reason);
        outcome = kept === undefined ? 'duplicate' : 'unknown_number';
        break;
      }
    }
    if (outcome !== 'neutral') counts[outcome] += 1;
  }
  const outcome: WebhookOutcome =
    counts.stored > 0
      ? 'stored'
      : counts.quarantined > 0
        ? 'quarantined'
        : counts.unknown_number > 0
          ? 'unknown_number'
          : counts.duplicate > 0
            ? 'duplicate'
            : 'ignored';
  const cardsMasked = outcome === 'duplicate' || outcome === 'ignored' ? 0 : (hooks.cardsMasked ?? 0);
  for (let card = 0; card < cardsMasked; card += 1) await appendSafetyAudit(trx, { rule: 'cards', action: 'redacted' }, now);
  return { outcome, messages, mediaQueued, unknownNumbers, codeWarnings, cardsMasked, consents, templatesChanged };
}

const insertBusinessEvent = prepareQuery(
  (
    db,
    v: {
      field: string;
      kind: string;
      wabaId: string | null;
      phoneNumberId: string | null;
      occurredAt: number | null;
      payloadJson: string;
      dedupeKey: string;
      now: number;
    },
  ) =>
    db
      .insertInto('business_events')
      .values({
        field: v.field,
        kind: v.kind,
        waba_id: v.wabaId,
        phone_number_id: v.phoneNumberId,
        occurred_at: v.occurredAt,
        payload_json: v.payloadJson,
        dedupe_key: v.dedupeKey,
        received_at: v.now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id'),
);

async function recordBusinessEvent(trx: StoreTransaction, record: BusinessEventRecord, now: number): Promise<boolean> {
  const payload = JSON.stringify(record.payload);
  const inserted = await insertBusinessEvent.first(trx, {
    field: record.field,
    kind: record.eventKind,
    wabaId: record.wabaId ?? null,
    phoneNumberId: record.phoneNumberId ?? null,
    occurredAt: record.occurredAt ?? null,
    payloadJson: payload,
    dedupeKey: sha256(`${record.field}\n${record.eventKind}\n${record.wabaId ?? ''}\n${record.occurredAt ?? ''}\n${payload}`),
    now,
  });
  return inserted !== undefined;
}

const insertQuarantine = prepareQuery((db, v: { reason: string; payload: string; payloadSha256: string; now: number }) =>
  db
    .insertInto('webhook_quarantine')
    .values({ reason: v.reason, payload: v.payload, payload_sha256: v.payloadSha256, received_at: v.now })
    .onConflict((oc) => oc.column('payload_sha256').doNothing()),
);

const insertUnknownNumber = prepareQuery(
  (db, v: { phoneNumberId: string; wabaId: string | null; reason: string; payload: string; payloadSha256: string; now: number }) =>
    db
      .insertInto('unknown_number_webhooks')
      .values({
        phone_number_id: v.phoneNumberId,
        waba_id: v.wabaId,
        reason: v.reason,
        payload: v.payload,
        payload_sha256: v.payloadSha256,
        received_at: v.now,
      })
      .onConflict((oc) => oc.column('payload_sha256').doNothing())
      .returning('id'),
);

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
