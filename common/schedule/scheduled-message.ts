/**
 * A message an agent schedules for later, and a reminder they set on a conversation: what the
 * client API takes and answers (common/api/schedule-endpoints.ts), what the server stores and runs
 * on its durable job runner (server/schedule/), and what the desk shows. A scheduled message goes
 * at most once: when its time comes it is handed to the outbound queue through the same checks as
 * a send now, or comes back to the agent with the reason it was not sent.
 */
import { z } from 'zod';
import { MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, IdempotencyKey } from '../messages/send-request.js';
import { TemplateComponent } from '../messages/message-content.js';
import { PersonalDataPurpose } from '../personal-data/personal-data-purpose.js';

const Id = z.number().int().positive();

/** The furthest ahead a message may be scheduled or a reminder set. */
export const MAX_SCHEDULE_AHEAD_MS = 90 * 24 * 60 * 60 * 1000;

/** Whether the name is an IANA time zone this runtime knows (Europe/Rome, UTC). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The agent's IANA time zone: the one the date and time were picked in, kept to show them again. */
export const TimeZone = z.string().refine(isTimeZone, 'timeZone must be an IANA time zone such as Europe/Rome');
/** An ISO 8601 instant with its offset or Z: 2026-12-04T09:30:00+01:00. */
export const Instant = z.iso.datetime({ offset: true, error: 'sendAt must be an ISO 8601 date and time with its offset, such as 2026-12-04T09:30:00+01:00' });

export const ScheduledTemplate = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'name must be a template name: lowercase letters, digits and _'),
    languageCode: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'languageCode must look like en or en_US'),
    components: z.array(TemplateComponent).max(20).default([]),
  })
  .strict();
export type ScheduledTemplate = z.infer<typeof ScheduledTemplate>;

/** What goes: a text (typed, or a quick reply's text), a stored upload, or a template. */
export const ScheduledContent = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('text'),
      text: z.string().trim().min(1, 'text must not be empty').max(MAX_TEXT_LENGTH, `text must be at most ${MAX_TEXT_LENGTH} characters`),
      previewUrl: z.boolean().optional(),
      personalDataPurpose: PersonalDataPurpose.optional(),
      /** The quick reply the text came from, when it did (common/api/replies.ts). */
      quickReplyId: Id.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('media'),
      mediaId: Id,
      caption: z.string().max(MAX_CAPTION_LENGTH, `caption must be at most ${MAX_CAPTION_LENGTH} characters`).optional(),
      personalDataPurpose: PersonalDataPurpose.optional(),
    })
    .strict(),
  ScheduledTemplate.extend({ kind: z.literal('template') }).strict(),
]);
export type ScheduledContent = z.infer<typeof ScheduledContent>;

/**
 * pending: waits for its time (editable, cancellable); sending: its time came and it is being
 * handed to the outbound queue; sent: it is a message of the conversation (`messageId`; from there
 * it has the message's own status, `interrupted` included); returned: not sent, with `reason`;
 * cancelled: by an agent before it went.
 */
export const SCHEDULED_STATES = ['pending', 'sending', 'sent', 'returned', 'cancelled'] as const;
export const ScheduledState = z.enum(SCHEDULED_STATES);
export type ScheduledState = z.infer<typeof ScheduledState>;

/**
 * Why a scheduled message came back: window_closed (a free-form message, the 24 hours passed and
 * no fallback template), customer_blocked, conversation_resolved, group_recipient, or the coded
 * error of the send that refused it (card number, link, code, personal data, …).
 */
export const ReturnReason = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/);

export const ScheduleMessageBody = z
  .object({
    /** The same key twice schedules once. */
    idempotencyKey: IdempotencyKey,
    content: ScheduledContent,
    sendAt: Instant,
    timeZone: TimeZone,
    /** Sent instead when the time comes and the 24-hour window has closed (free-form content only). */
    fallbackTemplate: ScheduledTemplate.optional(),
    /** As a send's confirmedCode: the agent saw the one-time-code warning and schedules it anyway. */
    confirmedCode: z.boolean().optional(),
  })
  .strict();
export type ScheduleMessageBody = z.input<typeof ScheduleMessageBody>;

/** Until it goes: new content, a new time (with the zone it was picked in), a fallback set or removed (null). */
export const EditScheduledBody = z
  .object({
    content: ScheduledContent.optional(),
    sendAt: Instant.optional(),
    timeZone: TimeZone.optional(),
    fallbackTemplate: ScheduledTemplate.nullable().optional(),
    confirmedCode: z.boolean().optional(),
  })
  .strict()
  .refine((body) => body.content !== undefined || body.sendAt !== undefined || body.fallbackTemplate !== undefined, {
    error: 'an edit changes the content, the time or the fallback template',
  })
  .refine((body) => (body.sendAt === undefined) === (body.timeZone === undefined), { error: 'a new sendAt comes with the timeZone it was picked in' });
export type EditScheduledBody = z.input<typeof EditScheduledBody>;

export const ScheduledMessageView = z.object({
  id: Id,
  conversationId: Id,
  /** Who scheduled it. */
  agentId: Id,
  content: ScheduledContent,
  fallbackTemplate: ScheduledTemplate.nullable(),
  /** Epoch milliseconds. */
  sendAt: z.number().int(),
  timeZone: z.string(),
  state: ScheduledState,
  reason: ReturnReason.nullable(),
  /** The message it became (state sent), or the fallback template it became. */
  messageId: Id.nullable(),
  sentAsFallback: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ScheduledMessageView = z.infer<typeof ScheduledMessageView>;

export const ScheduledMessageList = z.object({ items: z.array(ScheduledMessageView) });
export type ScheduledMessageList = z.infer<typeof ScheduledMessageList>;
export const ScheduledMessageChanged = z.object({ scheduled: ScheduledMessageView, duplicate: z.boolean() });

/** "Remind me at": one reminder per agent per conversation (a new one moves it). */
export const SetReminderBody = z.object({ remindAt: Instant, timeZone: TimeZone }).strict();
export type SetReminderBody = z.input<typeof SetReminderBody>;
export const ReminderView = z.object({
  conversationId: Id,
  agentId: Id,
  remindAt: z.number().int(),
  timeZone: z.string(),
  state: z.enum(['pending', 'due', 'cancelled']),
});
export type ReminderView = z.infer<typeof ReminderView>;
export const ReminderList = z.object({ items: z.array(ReminderView) });
export type ReminderList = z.infer<typeof ReminderList>;
