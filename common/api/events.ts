/**
 * GET /v1/events (WebSocket): the server's feed, in sequence order. A client passes ?after=<the
 * last seq it saw> and gets everything since, then live events. Feed events carry the current
 * state of what changed, so a duplicate or a replay changes nothing on the client. Each WebSocket
 * message is one frame: a JSON array of events (`EventFrame`).
 */
import { z } from 'zod';
import { ConversationHistoryEntry } from './conversation-lifecycle.js';
import { ConversationSummary, MessageView } from './inbox.js';
import { NoteView } from './notes.js';
import { PresentAgent } from './presence.js';
import { Role, TeamScope } from './session.js';
import { StoredTemplate } from '../templates/template.js';
import { ReminderView, ScheduledMessageView } from '../schedule/scheduled-message.js';

/**
 * `after` absent: no replay, live from now (a client without a local copy loads pages instead).
 * `locked`: the workstation's screen is locked as it connects (its agent is not online until it unlocks).
 */
export const EventsQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
  locked: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

export const FeedEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), seq: z.number().int(), conversation: ConversationSummary, message: MessageView }),
  z.object({ type: z.literal('status'), seq: z.number().int(), conversationId: z.number().int(), message: MessageView }),
  z.object({ type: z.literal('conversation'), seq: z.number().int(), conversation: ConversationSummary }),
  /** An entry of the conversation's history (a state change, an assignment): a system line among its messages. */
  z.object({ type: z.literal('history'), seq: z.number().int(), conversationId: z.number().int(), entry: ConversationHistoryEntry }),
  /** The conversation left this viewer (another agent took it): it leaves their lists and local copy, and no state of it older than `seq` brings it back. */
  z.object({ type: z.literal('conversation_hidden'), seq: z.number().int(), conversationId: z.number().int() }),
  /** An internal note added to a conversation: to those who may see it, never to the customer. */
  z.object({ type: z.literal('note'), seq: z.number().int(), note: NoteView }),
  /** A note mentions this viewer (and only this viewer gets it), in a conversation they may see: the notification of a mention. Shares its seq with the note. */
  z.object({ type: z.literal('mention'), seq: z.number().int(), conversation: ConversationSummary, note: NoteView }),
  /**
   * A colleague handed this viewer a conversation (to them, or to their team's queue): the
   * notification of a transfer, with its note. Only to the receiver (common/api/handover.ts
   * handoverReceiver), judged by the same rule; shares its seq with the history entry.
   */
  z.object({
    type: z.literal('handover'),
    seq: z.number().int(),
    conversation: ConversationSummary,
    entry: ConversationHistoryEntry,
    note: NoteView.nullable(),
  }),
  /** A scheduled message was scheduled, edited, cancelled, went, or came back (with its reason): to those who may see its conversation. */
  z.object({ type: z.literal('scheduled_message'), seq: z.number().int(), scheduled: ScheduledMessageView }),
  /** This viewer's reminder of a conversation they may see came due (only they get it). */
  z.object({ type: z.literal('reminder'), seq: z.number().int(), conversation: ConversationSummary, reminder: ReminderView }),
]);
export type FeedEvent = z.infer<typeof FeedEvent>;

export const ControlEvent = z.discriminatedUnion('type', [
  /** Sent once the replay after `after` is done; live events follow. */
  z.object({ type: z.literal('ready'), lastSeq: z.number().int() }),
  /** The feed no longer holds everything after `after`: reload conversations, then resume from lastSeq. */
  z.object({ type: z.literal('resync'), lastSeq: z.number().int() }),
  z.object({ type: z.literal('session_revoked'), reason: z.string() }),
  z.object({ type: z.literal('device_revoked'), reason: z.string() }),
  /**
   * What this agent may see, as the server judges it now: sent when the socket opens and whenever
   * their roles or teams change. The client drops what it may no longer see and reloads its lists.
   */
  z.object({ type: z.literal('view_changed'), roles: z.array(Role), teams: TeamScope }),
  /** An admin changed the safety policy (common/safety/safety-policy.ts): the workstation reads it again (GET /v1/safety-policy) unless it holds this version. To every socket. */
  z.object({ type: z.literal('safety_policy_changed'), version: z.number().int().min(0) }),
  /** An admin published a new version of the security briefing: every agent acknowledges it before their inbox opens again (GET /v1/briefing). To every socket. */
  z.object({ type: z.literal('briefing_published'), version: z.number().int().min(1) }),
]);
export type ControlEvent = z.infer<typeof ControlEvent>;

/**
 * Ephemeral: who else is in a conversation right now. Never stored, never numbered in the feed
 * (no `seq`: a client does not resume from it), sent only to live sockets of viewers who may see
 * the conversation, and not replayed: a client that reconnects hears the next change.
 */
export const EphemeralEvent = z.discriminatedUnion('type', [
  /** The other agents viewing the conversation now, and which of them are typing (empty: nobody else). */
  z.object({ type: z.literal('presence'), conversationId: z.number().int(), others: z.array(PresentAgent) }),
]);
export type EphemeralEvent = z.infer<typeof EphemeralEvent>;

/**
 * A template changed (a sync from Meta, or Meta's webhook of its status, category or quality), as
 * it now is: live only, like the ephemeral ones, to the sockets of those who may use its account's
 * numbers (common/templates/template-access.ts). A client that reconnects reads its list again.
 */
export const TemplateEvent = z.object({ type: z.literal('template_changed'), template: StoredTemplate });
export type TemplateEvent = z.infer<typeof TemplateEvent>;

export const ServerEvent = z.union([FeedEvent, ControlEvent, EphemeralEvent, TemplateEvent]);
export type ServerEvent = z.infer<typeof ServerEvent>;

/**
 * One WebSocket text message of the feed: one or more events in seq order. The server puts
 * everything a delivery pass has for a socket in one frame (several events when they piled up,
 * at most one read of the feed); control events travel in frames of their own.
 */
export const EventFrame = z.array(ServerEvent).min(1);
export type EventFrame = z.infer<typeof EventFrame>;

/**
 * The events of one received frame that this client understands, in their order. An event of a
 * kind it does not know (sent by a newer server) is skipped and the rest of the frame kept, as a
 * frame of one unknown event would have been; anything that is not a frame gives nothing.
 */
export function eventsOfFrame(frame: unknown): ServerEvent[] {
  if (!Array.isArray(frame)) return [];
  const events: ServerEvent[] = [];
  for (const item of frame) {
    const event = ServerEvent.safeParse(item);
    if (event.success) events.push(event.data);
  }
  return events;
}

/** WebSocket close codes the client acts on (4000–4999 are the application's). */
export const EVENTS_CLOSE = {
  sessionRevoked: 4001,
  deviceRevoked: 4003,
  /**
   * The client read too slowly: its unsent frames passed the server's cap, so the server stopped
   * queuing for it. Everything before the close arrived; reconnect and resume after the last seq
   * seen (a replay, or `resync` if the feed no longer holds it).
   */
  tooSlow: 4008,
  /**
   * A new version of the security briefing is in force (or the agent's acknowledgement is due for
   * renewal): the feed carries conversations, so it stops until the agent acknowledges; a
   * reconnect before that is refused with briefing_acknowledgement_required.
   */
  briefingRequired: 4009,
  sessionInvalid: 4401,
} as const;
