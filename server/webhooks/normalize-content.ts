/**
 * A message's per-type object (`text`, `location`, `order` …) turned into its stored content.
 * Total: a kind we do not know is kept as a placeholder, and what cannot be read is left out
 * and reported (read-leniently.ts), so every message with an id reaches the inbox.
 */
import type { MediaKind } from '../../common/attachments/media-limits.js';
import { MEDIA_KINDS } from '../../common/attachments/media-limits.js';
import type { MessageContent, PlainMessageContent, UnreadablePart } from '../../common/messages/message-content.js';
import type { InboundMediaRef } from './ingest-records.js';
import { readLeniently } from './read-leniently.js';
import { TypeObjects } from './webhook-payload.js';
import type { z } from 'zod';

export interface NormalizedContent<C = MessageContent> {
  readonly content: C;
  readonly media: InboundMediaRef | undefined;
  /** What was left out of the content because it could not be read. */
  readonly unreadable: readonly UnreadablePart[];
}

const MEDIA_KIND_SET: ReadonlySet<string> = new Set(MEDIA_KINDS);

/**
 * Reactions, edits and revocations change another message: one that cannot be read whole is
 * never applied (a reaction without its emoji is not a removed reaction, an edit missing a field
 * must not overwrite the message it targets). It is kept as a message of its own, marked.
 */
export function normalizeContent(type: string, message: Record<string, unknown>): NormalizedContent {
  const normalized = normalizeAnyContent(type, message);
  const amendment = normalized.content.type === 'reaction' || normalized.content.type === 'edit' || normalized.content.type === 'revoke';
  if (amendment && normalized.unreadable.length > 0) return { ...placeholder(type), unreadable: normalized.unreadable };
  return normalized;
}

function normalizeAnyContent(type: string, message: Record<string, unknown>): NormalizedContent {
  switch (type) {
    case 'reaction':
      return readTypeObject(TypeObjects.reaction, message.reaction, [type], type, (r) => ({
        type: 'reaction',
        targetWamid: r.message_id,
        emoji: r.emoji === undefined || r.emoji === '' ? null : r.emoji,
      }));
    case 'revoke':
      return readTypeObject(TypeObjects.revoke, message.revoke, [type], type, (r) => ({ type: 'revoke', targetWamid: r.original_message_id }));
    case 'edit':
      return normalizeEdit(message.edit);
    default:
      return normalizePlainContent(type, message, []);
  }
}

function normalizeEdit(value: unknown): NormalizedContent {
  if (value === undefined) return placeholder('edit');
  const edit = readLeniently(TypeObjects.edit, value, ['edit']);
  if (!edit.ok) return { ...placeholder('edit'), unreadable: edit.unreadable };
  const inner = normalizePlainContent(edit.data.message.type, edit.data.message, ['edit', 'message']);
  return {
    content: { type: 'edit', targetWamid: edit.data.original_message_id, content: inner.content },
    media: inner.media,
    unreadable: [...edit.unreadable, ...inner.unreadable],
  };
}

/** `path`: where `message` sits in the webhook's message (empty, or `edit.message`). */
function normalizePlainContent(type: string, message: Record<string, unknown>, path: readonly string[]): NormalizedContent<PlainMessageContent> {
  const at = [...path, type];
  if (MEDIA_KIND_SET.has(type)) return normalizeMedia(type as MediaKind, message[type], at);
  switch (type) {
    case 'text':
      return readTypeObject(TypeObjects.text, message.text, at, type, (t) => ({ type: 'text', body: t.body }));
    case 'location':
      return readTypeObject(TypeObjects.location, message.location, at, type, (l) => ({
        type: 'location',
        latitude: l.latitude,
        longitude: l.longitude,
        name: l.name,
        address: l.address,
        url: l.url,
      }));
    case 'contacts':
      return readTypeObject(TypeObjects.contacts, message.contacts, at, type, (contacts) => ({
        type: 'contacts',
        contacts: contacts.map((c) => ({
          formattedName: c.name?.formatted_name ?? ([c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ') || '?'),
          phones: (c.phones ?? []).flatMap((p) => (p.phone === undefined ? [] : [{ phone: p.phone, waId: p.wa_id, type: p.type }])),
          emails: (c.emails ?? []).flatMap((e) => (e.email === undefined ? [] : [{ email: e.email, type: e.type }])),
          organization: c.org?.company,
        })),
      }));
    case 'interactive':
      return readTypeObject(TypeObjects.interactive, message.interactive, at, type, interactiveContent);
    case 'button':
      return readTypeObject(TypeObjects.button, message.button, at, type, (b) => ({ type: 'button', text: b.text, payload: b.payload }));
    case 'order':
      return readTypeObject(TypeObjects.order, message.order, at, type, (o) => ({
        type: 'order',
        catalogId: o.catalog_id,
        text: o.text === '' ? undefined : o.text,
        items: o.product_items.map((item) => ({
          productRetailerId: item.product_retailer_id,
          quantity: item.quantity,
          itemPrice: item.item_price,
          currency: item.currency,
        })),
      }));
    case 'system':
      return readTypeObject(TypeObjects.system, message.system, at, type, (s) => ({
        type: 'system',
        systemType: s.type ?? 'unknown',
        body: s.body,
        newWaId: s.type === 'user_changed_number' ? s.wa_id : undefined,
      }));
    case 'unsupported':
    case 'unknown': {
      const inner = TypeObjects.unsupported.safeParse(message.unsupported);
      return placeholder(inner.success && inner.data.type !== undefined ? inner.data.type : type);
    }
    default:
      // A kind Meta added after this code was written: kept, shown as a placeholder, never lost.
      return placeholder(type);
  }
}

function interactiveContent(i: z.infer<typeof TypeObjects.interactive>): PlainMessageContent {
  switch (i.type) {
    case 'button_reply':
      return { type: 'interactive_reply', replyType: 'button_reply', replyId: i.button_reply?.id, title: i.button_reply?.title };
    case 'list_reply':
      return {
        type: 'interactive_reply',
        replyType: 'list_reply',
        replyId: i.list_reply?.id,
        title: i.list_reply?.title,
        description: i.list_reply?.description,
      };
    case 'nfm_reply':
      return {
        type: 'interactive_reply',
        replyType: 'nfm_reply',
        flowResponseJson: i.nfm_reply?.response_json,
        flowName: i.nfm_reply?.name,
        body: i.nfm_reply?.body,
      };
    default:
      return { type: 'unsupported', originalType: `interactive:${i.type}` };
  }
}

function normalizeMedia(kind: MediaKind, value: unknown, at: readonly string[]): NormalizedContent<PlainMessageContent> {
  if (value === undefined) return placeholder(kind);
  const read = readLeniently(TypeObjects.media, value, at);
  if (!read.ok) return { ...placeholder(kind), unreadable: read.unreadable };
  const m = read.data;
  const mimeType = m.mime_type ?? 'application/octet-stream';
  const size = m.file_size === undefined ? undefined : Number(m.file_size);
  return {
    content: { type: kind, mimeType, caption: m.caption, filename: m.filename, voice: m.voice, animated: m.animated },
    media:
      m.id === undefined
        ? undefined
        : {
            graphMediaId: m.id,
            kind,
            mimeType,
            declaredSha256: m.sha256,
            declaredSize: size !== undefined && Number.isFinite(size) ? size : undefined,
            filename: m.filename,
            animated: m.animated === true,
          },
    unreadable: read.unreadable,
  };
}

function readTypeObject<S extends z.ZodType, C extends MessageContent>(
  schema: S,
  value: unknown,
  at: readonly string[],
  type: string,
  build: (parsed: z.infer<S>) => C,
): NormalizedContent<C | PlainMessageContent> {
  // Meta sometimes omits the per-type object (value-level error 131000): keep the message as a placeholder.
  if (value === undefined) return placeholder(type);
  const read = readLeniently(schema, value, at);
  if (!read.ok) return { ...placeholder(type), unreadable: read.unreadable };
  return { content: build(read.data), media: undefined, unreadable: read.unreadable };
}

function placeholder(originalType: string): NormalizedContent<PlainMessageContent> {
  return { content: { type: 'unsupported', originalType }, media: undefined, unreadable: [] };
}
