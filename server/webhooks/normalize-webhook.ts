/**
 * Turns a verified webhook body into the records the store applies. Total by design: any JSON
 * yields records (what has no message in it becomes a quarantine record), never an exception.
 */
import type { CustomerRef } from '../inbox/contacts.js';
import type { IngestRecord, UnknownNumberRecord } from './ingest-records.js';
import { quarantineRecord } from './ingest-records.js';
import { MAX_WEBHOOK_DEPTH, nestsDeeperThan } from './json-depth.js';
import { normalizeMessage } from './normalize-message.js';
import type { MessageSurroundings } from './normalize-message.js';
import { Change, Entry, Envelope, MessagesValue, UserPreference, WebhookContact, WebhookStatus } from './webhook-payload.js';
import type { z } from 'zod';

/** Fields recorded as business events, by the kind they are filed under. */
const EVENT_KIND_BY_FIELD: Readonly<Record<string, string>> = {
  message_template_status_update: 'template_status',
  message_template_quality_update: 'template_quality',
  message_template_components_update: 'template_components',
  template_category_update: 'template_category',
  account_update: 'account_update',
  account_review_update: 'account_review',
  account_alerts: 'account_alert',
  phone_number_quality_update: 'quality_update',
  phone_number_name_update: 'phone_number_name',
  business_capability_update: 'business_capability',
  security: 'security',
};

/** Why a change's number is not applied here (server/numbers/business-numbers.ts), or undefined when it is. */
export type NumberRouting = (phoneNumberId: string) => UnknownNumberRecord['reason'] | undefined;

const EVERY_NUMBER: NumberRouting = () => undefined;

/**
 * `body` parsed from `rawText`; `receivedAt`: when it arrived (a message's time when its own
 * cannot be read). A body nested deeper than any of Meta's is kept whole, as the bytes came:
 * nothing recursive (a schema, JSON.stringify) ever runs over it. A change naming a number that
 * `routing` refuses (`metadata.phone_number_id`) is not applied: the body is kept for admins as
 * from an unknown number, once per number.
 */
export function normalizeWebhook(body: unknown, rawText: string, receivedAt: number, routing: NumberRouting = EVERY_NUMBER): IngestRecord[] {
  if (nestsDeeperThan(body, MAX_WEBHOOK_DEPTH)) {
    return [{ kind: 'quarantine', reason: `body nested deeper than ${MAX_WEBHOOK_DEPTH} levels`, payload: rawText }];
  }
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return [{ kind: 'quarantine', reason: `envelope: ${describe(envelope.error)}`, payload: rawText }];
  const records: IngestRecord[] = [];
  for (const rawEntry of envelope.data.entry) {
    const entry = Entry.safeParse(rawEntry);
    if (!entry.success) {
      records.push(quarantineRecord(`entry: ${describe(entry.error)}`, rawEntry));
      continue;
    }
    for (const rawChange of entry.data.changes) {
      const change = Change.safeParse(rawChange);
      if (!change.success) {
        records.push(quarantineRecord(`change: ${describe(change.error)}`, rawChange));
        continue;
      }
      const phoneNumberId = phoneNumberIdOf(change.data.value);
      const unknown = phoneNumberId === undefined || phoneNumberId === '' ? undefined : routing(phoneNumberId);
      if (phoneNumberId !== undefined && unknown !== undefined) {
        records.push({ kind: 'unknown_number', phoneNumberId, wabaId: entry.data.id, reason: unknown, payload: rawText });
        continue;
      }
      normalizeChange(change.data, entry.data, receivedAt, records);
    }
  }
  return records;
}

function normalizeChange(change: z.infer<typeof Change>, entry: z.infer<typeof Entry>, receivedAt: number, out: IngestRecord[]): void {
  const occurredAt = entry.time === undefined ? undefined : entry.time * 1000;
  switch (change.field) {
    case 'messages':
    case 'smb_message_echoes':
      normalizeMessagesChange(change, entry, receivedAt, out);
      return;
    case 'user_preferences':
      normalizeUserPreferences(change, entry, out);
      return;
    default:
      out.push({
        kind: 'business_event',
        field: change.field,
        eventKind: EVENT_KIND_BY_FIELD[change.field] ?? 'other',
        wabaId: entry.id,
        phoneNumberId: phoneNumberIdOf(change.value),
        occurredAt,
        payload: change.value,
      });
  }
}

function normalizeMessagesChange(change: z.infer<typeof Change>, entry: z.infer<typeof Entry>, receivedAt: number, out: IngestRecord[]): void {
  const parsed = MessagesValue.safeParse(change.value);
  if (!parsed.success) {
    out.push(quarantineRecord(`${change.field} value: ${describe(parsed.error)}`, change));
    return;
  }
  const value = parsed.data;
  const phoneNumberId = value.metadata.phone_number_id;

  const contacts: WebhookContact[] = [];
  for (const raw of value.contacts ?? []) {
    const contact = WebhookContact.safeParse(raw);
    if (contact.success && (contact.data.wa_id !== undefined || contact.data.user_id !== undefined)) contacts.push(contact.data);
    else out.push(quarantineRecord('contact without wa_id or user_id', raw));
  }
  const matched = new Set<WebhookContact>();
  const customerFor = (ids: CustomerRef): CustomerRef => {
    const profile = contacts.find((c) => (ids.userId !== undefined && c.user_id === ids.userId) || (ids.waId !== undefined && c.wa_id === ids.waId));
    if (profile === undefined) return ids;
    matched.add(profile);
    return {
      waId: ids.waId ?? profile.wa_id,
      userId: ids.userId ?? profile.user_id,
      parentUserId: ids.parentUserId ?? profile.parent_user_id,
      profileName: profile.profile?.name,
      username: profile.profile?.username,
    };
  };

  const around = (source: MessageSurroundings['source']): MessageSurroundings => ({
    phoneNumberId,
    businessNumber: value.metadata.display_phone_number,
    source,
    customerFor,
    contacts,
    receivedAt,
  });
  for (const raw of value.messages ?? []) out.push(normalizeMessage(raw, around('inbound')));
  for (const raw of value.message_echoes ?? []) out.push(normalizeMessage(raw, around('echo')));

  for (const raw of value.statuses ?? []) {
    const status = WebhookStatus.safeParse(raw);
    if (!status.success) {
      out.push(quarantineRecord(`status: ${describe(status.error)}`, raw));
      continue;
    }
    const { id, status: state, timestamp, recipient_id, recipient_user_id, recipient_participant_user_id, errors, ...details } = status.data;
    out.push({
      kind: 'status',
      wamid: id,
      status: state,
      occurredAt: timestamp,
      recipientId: recipient_id,
      recipientUserId: recipient_user_id ?? recipient_participant_user_id,
      errors,
      details,
    });
  }

  if (value.errors !== undefined && value.errors.length > 0) {
    out.push({
      kind: 'business_event',
      field: change.field,
      eventKind: 'value_error',
      wabaId: entry.id,
      phoneNumberId,
      occurredAt: entry.time === undefined ? undefined : entry.time * 1000,
      payload: { errors: value.errors, metadata: value.metadata, messages: value.messages, statuses: value.statuses },
    });
  }

  for (const contact of contacts) {
    if (matched.has(contact)) continue;
    out.push({
      kind: 'contact_profile',
      customer: {
        waId: contact.wa_id,
        userId: contact.user_id,
        parentUserId: contact.parent_user_id,
        profileName: contact.profile?.name,
        username: contact.profile?.username,
      },
    });
  }
}

function normalizeUserPreferences(change: z.infer<typeof Change>, entry: z.infer<typeof Entry>, out: IngestRecord[]): void {
  const preferences = Array.isArray(change.value.user_preferences) ? (change.value.user_preferences as unknown[]) : [];
  if (preferences.length === 0) {
    out.push(quarantineRecord('user_preferences without preferences', change));
    return;
  }
  for (const raw of preferences) {
    const preference = UserPreference.safeParse(raw);
    if (!preference.success || (preference.data.wa_id === undefined && preference.data.user_id === undefined)) {
      out.push(quarantineRecord('user preference without a customer', raw));
      continue;
    }
    const p = preference.data;
    if (p.category === 'marketing_messages') {
      out.push({ kind: 'marketing_preference', customer: { waId: p.wa_id, userId: p.user_id }, value: p.value, at: p.timestamp });
    }
    out.push({
      kind: 'business_event',
      field: change.field,
      eventKind: 'user_preferences',
      wabaId: entry.id,
      phoneNumberId: phoneNumberIdOf(change.value),
      occurredAt: p.timestamp,
      payload: raw,
    });
  }
}

function phoneNumberIdOf(value: Record<string, unknown>): string | undefined {
  const metadata = value.metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const id = (metadata as Record<string, unknown>).phone_number_id;
  return typeof id === 'string' ? id : undefined;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'unexpected shape';
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}
