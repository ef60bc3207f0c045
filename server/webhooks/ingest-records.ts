/** What one webhook asks the store to record, after normalisation; applied in order. */
import type { MediaKind } from '../../common/attachments/media-limits.js';
import type { MessageContent, MessageMeta } from '../../common/messages/message-content.js';
import type { CustomerRef } from '../inbox/contacts.js';
import type { StatusRecord } from '../inbox/message-status.js';
import type { MessageDirection, MessageOrigin } from '../store/schema.js';

export interface InboundMediaRef {
  readonly graphMediaId: string;
  readonly kind: MediaKind;
  readonly mimeType: string;
  readonly declaredSha256: string | undefined;
  readonly declaredSize: number | undefined;
  readonly filename: string | undefined;
  readonly animated: boolean;
}

export interface MessageRecord {
  readonly kind: 'message';
  readonly wamid: string;
  readonly phoneNumberId: string;
  readonly customer: CustomerRef;
  readonly direction: MessageDirection;
  readonly origin: MessageOrigin;
  readonly sentAt: number;
  readonly content: MessageContent;
  readonly meta: MessageMeta | undefined;
  readonly contextWamid: string | undefined;
  readonly media: InboundMediaRef | undefined;
  /** The WhatsApp group the message was written in (`group_id`): kept read-only under the group, never routed (docs/safety-rules.md, "Groups"). */
  readonly groupId?: string;
  readonly raw: unknown;
}

export interface ContactProfileRecord {
  readonly kind: 'contact_profile';
  readonly customer: CustomerRef;
}

export interface MarketingPreferenceRecord {
  readonly kind: 'marketing_preference';
  readonly customer: CustomerRef;
  readonly value: string;
  readonly at: number;
}

export interface BusinessEventRecord {
  readonly kind: 'business_event';
  readonly field: string;
  /** template_status, account_update, quality_update, value_error, user_preferences, other */
  readonly eventKind: string;
  readonly wabaId: string | undefined;
  readonly phoneNumberId: string | undefined;
  readonly occurredAt: number | undefined;
  readonly payload: unknown;
}

export interface QuarantineRecord {
  readonly kind: 'quarantine';
  readonly reason: string;
  /** The part kept for a person to look at: the body's raw text, or a part of it as JSON text. */
  readonly payload: string;
}

/** A signed change naming a number this server does not apply: the body is kept for admins, once per number. */
export interface UnknownNumberRecord {
  readonly kind: 'unknown_number';
  readonly phoneNumberId: string;
  readonly wabaId: string | undefined;
  /** not_configured: no such number here; other_app: the number's app is not the one that signed. */
  readonly reason: 'not_configured' | 'other_app';
  /** The body's raw text, as the bytes came. */
  readonly payload: string;
}

/** A part of a webhook kept as JSON text (its depth is bounded, so it serialises: json-depth.ts). */
export function quarantineRecord(reason: string, value: unknown): QuarantineRecord {
  return { kind: 'quarantine', reason, payload: JSON.stringify(value) ?? 'undefined' };
}

export type IngestRecord =
  MessageRecord | StatusRecord | ContactProfileRecord | MarketingPreferenceRecord | BusinessEventRecord | QuarantineRecord | UnknownNumberRecord;
