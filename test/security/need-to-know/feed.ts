/**
 * Every kind of event the feed declares (common/api/events.ts), classified: carrying a
 * conversation's data (and which conversation), a notice that names a conversation only to say
 * it left the viewer, or carrying none. A kind added to the contract without a line here fails
 * the test, named (and fails to compile, the maps being keyed by the contract's own types).
 */
import type { z } from 'zod';
import { ControlEvent, EphemeralEvent, FeedEvent, TemplateEvent } from '../../../common/api/events.js';
import type { ServerEvent } from '../../../common/api/events.js';

export type EventKindClass =
  | { readonly carries: 'conversation'; readonly conversationOf: (event: ServerEvent) => number }
  | { readonly carries: 'notice'; readonly reason: string }
  | { readonly carries: 'nothing'; readonly reason: string };

type Of<K extends FeedEvent['type']> = Extract<FeedEvent, { type: K }>;
const carrying = <K extends FeedEvent['type']>(conversationOf: (event: Of<K>) => number): EventKindClass => ({
  carries: 'conversation',
  conversationOf: (event) => conversationOf(event as Of<K>),
});

export const FEED_EVENT_KINDS: Readonly<Record<FeedEvent['type'], EventKindClass>> = {
  message: carrying<'message'>((event) => event.conversation.id),
  status: carrying<'status'>((event) => event.conversationId),
  conversation: carrying<'conversation'>((event) => event.conversation.id),
  history: carrying<'history'>((event) => event.conversationId),
  conversation_hidden: { carries: 'notice', reason: 'names a conversation only to say it left this viewer (its id and feed position, nothing of it)' },
  note: carrying<'note'>((event) => event.note.conversationId),
  mention: carrying<'mention'>((event) => event.conversation.id),
  handover: carrying<'handover'>((event) => event.conversation.id),
  scheduled_message: carrying<'scheduled_message'>((event) => event.scheduled.conversationId),
  reminder: carrying<'reminder'>((event) => event.conversation.id),
};

export const CONTROL_EVENT_KINDS: Readonly<Record<ControlEvent['type'], EventKindClass>> = {
  ready: { carries: 'nothing', reason: 'the feed position where the replay ended' },
  resync: { carries: 'nothing', reason: 'the feed position to reload from' },
  session_revoked: { carries: 'nothing', reason: 'why this session ended' },
  device_revoked: { carries: 'nothing', reason: 'why this workstation lost its right' },
  view_changed: { carries: 'nothing', reason: 'the agent’s own roles and the ids of their teams' },
  safety_policy_changed: { carries: 'nothing', reason: 'the safety policy’s new version number: the policy holds hosts and settings, no customer data' },
  briefing_published: { carries: 'nothing', reason: 'the security briefing’s new version number: the briefing holds rules, no customer data' },
};

/** Ephemeral: never stored nor numbered, sent only live; classified as the feed's are. */
export const EPHEMERAL_EVENT_KINDS: Readonly<Record<EphemeralEvent['type'], EventKindClass>> = {
  presence: { carries: 'conversation', conversationOf: (event) => (event as Extract<EphemeralEvent, { type: 'presence' }>).conversationId },
};

/** Live only, to those who may use the template's account (its own probe: need-to-know/templates.ts). */
export const TEMPLATE_EVENT_KINDS: Readonly<Record<TemplateEvent['type'], EventKindClass>> = {
  template_changed: {
    carries: 'nothing',
    reason: 'a company template as Meta describes it (its texts, status, category): no customer data; sent only to those who may use its account',
  },
};

const KINDS: Readonly<Record<string, EventKindClass>> = { ...FEED_EVENT_KINDS, ...CONTROL_EVENT_KINDS, ...EPHEMERAL_EVENT_KINDS, ...TEMPLATE_EVENT_KINDS };

/** The kinds the contract declares, read from its schemas. */
export function declaredEventKinds(): string[] {
  const kindsOf = (union: { options: readonly z.ZodType[] }) =>
    union.options.map((option) => String((option as unknown as { shape: { type: { value: unknown } } }).shape.type.value));
  return [...kindsOf(FeedEvent), ...kindsOf(ControlEvent), ...kindsOf(EphemeralEvent), String(TemplateEvent.shape.type.value)].sort();
}

export function classifiedEventKinds(): string[] {
  return Object.keys(KINDS).sort();
}

export function feedEventKind(event: ServerEvent): EventKindClass {
  const kind = KINDS[event.type];
  if (kind === undefined) throw new Error(`event kind ${event.type} is not classified in test/security/need-to-know/feed.ts`);
  return kind;
}

/** The conversation whose data the event carries, if any (a notice carries none). */
export function carriesConversation(event: ServerEvent): number | undefined {
  const kind = feedEventKind(event);
  return kind.carries === 'conversation' ? kind.conversationOf(event) : undefined;
}
