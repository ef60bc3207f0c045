/**
 * One read of the event feed and the frames made of it. A batch is read once per position and
 * serves every socket at that position; its frames are built once per view
 * (common/api/conversation-access.ts) and serialized once per set of events they hold, so agents
 * who see the same thing get the same bytes (two supervisors of the same teams too, whose views
 * differ only by what is assigned to each), and each event's JSON is made once whichever views
 * carry it. A note's mentions are the one kind of event meant for one agent: they join that
 * agent's frame alone, judged by the same rule, as a hand-over's notice joins its receiver's.
 * Customers' numbers are masked in each event's JSON (server/masking/): an event that shows one
 * is also serialized unmasked, and a view takes that form only where the batch's policy lets it
 * see the number of the conversation's team.
 */
import type { Kysely } from 'kysely';
import type { ConversationPlace, ConversationViewer, ConversationVisibility } from '../../common/api/conversation-access.js';
import { conversationViewOf, visibilityOf, visibleIn } from '../../common/api/conversation-access.js';
import type { FeedEvent } from '../../common/api/events.js';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import type { ConversationSummary, MessageView } from '../../common/api/inbox.js';
import type { NoteView } from '../../common/api/notes.js';
import type { ReminderView, ScheduledMessageView } from '../../common/schedule/scheduled-message.js';
import { handoverReceiver } from '../../common/api/handover.js';
import { historyEntries } from '../inbox/conversation-history.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import type { NoteViews } from '../notes/note-views.js';
import type { InboxDatabase } from '../store/schema.js';
import { remindersByIds, scheduledByIds } from '../inbox/scheduled-views.js';
import { holdsCustomerNumber, maskCustomers, numberSightOf, SEES_NO_NUMBER } from '../masking/customer-numbers.js';
import type { MaskedNumberPolicy, NumberSight } from '../masking/customer-numbers.js';

/** An event of the batch, serialized, with what its visibility is judged on. */
interface SerializedEvent {
  readonly seq: number;
  /** Names it within its batch (an event `e…`, a notice `h…`), for telling frames of the same events apart. */
  readonly key: string;
  readonly place: ConversationPlace;
  /** The event with customers' numbers masked. */
  readonly json: string;
  /** The event as it is, when it shows a customer's number: for viewers who may see it. */
  readonly unmasked?: string;
}

/** An event for some viewers only (a mention of them, a hand-over to them or their team's queue). */
interface PersonalEvent extends SerializedEvent {
  readonly isFor: (viewer: ConversationViewer, visibility: ConversationVisibility | undefined) => boolean;
}

/** What a batch's events are read from. */
export interface FeedViews {
  readonly inbox: InboxViews;
  readonly notes: NoteViews;
}

export interface FeedBatch {
  /** The last seq the batch covers: a socket that took it is at this position. */
  readonly lastSeq: number;
  /** As many rows as one read takes: more may follow. */
  readonly full: boolean;
  /** The batch's frame for a viewer (undefined: nothing in it they may see); built once per view. */
  frameFor(viewer: ConversationViewer): Buffer | undefined;
}

/**
 * The feed after `after`, as every viewer's events are made of: current state, latest row per
 * message or conversation only, and the conversations whose assignee changed anywhere in it.
 * Undefined when nothing follows `after`.
 */
export async function readFeedBatch(
  db: Kysely<InboxDatabase>,
  views: FeedViews,
  after: number,
  size: number,
  numbers: MaskedNumberPolicy = { maskForAgents: true, supervisorsSeeNumbers: false },
): Promise<FeedBatch | undefined> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'kind', 'conversation_id', 'message_id', 'note_id', 'entry_id', 'scheduled_id', 'reminder_id'])
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(size)
    .execute();
  const last = rows[rows.length - 1];
  if (last === undefined) return undefined;
  const latest = new Map<string, (typeof rows)[number]>();
  const lastSeqOf = new Map<number, number>();
  const reassigned = new Set<number>();
  for (const row of rows) {
    latest.set(
      row.scheduled_id !== null
        ? `s${row.scheduled_id}`
        : row.reminder_id !== null
          ? `r${row.reminder_id}:${row.seq}`
          : row.note_id !== null
            ? `n${row.note_id}`
            : row.entry_id !== null
              ? `e${row.entry_id}`
              : row.message_id === null
                ? `c${row.conversation_id}`
                : `m${row.message_id}`,
      row,
    );
    lastSeqOf.set(row.conversation_id, row.seq);
    if (row.kind === 'assignment') reassigned.add(row.conversation_id);
  }
  const kept = [...latest.values()].sort((a, b) => a.seq - b.seq);
  const [conversations, messages, notes, entries] = await Promise.all([
    views.inbox.conversations([...lastSeqOf.keys()]),
    views.inbox.messages(kept.map((row) => row.message_id).filter((id): id is number => id !== null)),
    views.notes.notes(kept.map((row) => row.note_id).filter((id): id is number => id !== null)),
    historyEntries(
      db,
      kept.map((row) => row.entry_id).filter((id): id is number => id !== null),
    ),
  ]);
  const [scheduled, reminders] = await Promise.all([
    scheduledByIds(
      db,
      kept.map((row) => row.scheduled_id).filter((id): id is number => id !== null),
    ),
    remindersByIds(
      db,
      kept.map((row) => row.reminder_id).filter((id): id is number => id !== null),
    ),
  ]);
  const events = [...serializedEvents(kept, conversations, messages, notes, entries), ...scheduledEvents(kept, conversations, scheduled)].sort(
    (a, b) => a.seq - b.seq,
  );
  const handoverNoteIds = [...entries.values()].map((entry) => entry.noteId).filter((id): id is number => id !== null && !notes.has(id));
  const handoverNotes = handoverNoteIds.length === 0 ? notes : new Map([...notes, ...(await views.notes.notes(handoverNoteIds))]);
  const personal = [
    ...mentionEvents(kept, conversations, notes),
    ...handoverEvents(kept, conversations, entries, handoverNotes),
    ...reminderEvents(kept, conversations, reminders),
  ];
  const handedOver = [...reassigned].flatMap((conversationId) => {
    const conversation = conversations.get(conversationId);
    if (conversation === undefined) return [];
    const seq = lastSeqOf.get(conversationId) ?? last.seq;
    const hidden: FeedEvent = { type: 'conversation_hidden', seq, conversationId };
    return [{ seq, key: `h${conversationId}`, place: conversation, json: JSON.stringify(hidden) }];
  });
  return new SerializedBatch(last.seq, rows.length === size, events, handedOver, personal, numbers);
}

type FeedRow = {
  readonly seq: number;
  readonly kind: string;
  readonly conversation_id: number;
  readonly message_id: number | null;
  readonly note_id: number | null;
  readonly entry_id: number | null;
  readonly scheduled_id: number | null;
  readonly reminder_id: number | null;
};

function serializedEvents(
  rows: readonly FeedRow[],
  conversations: ReadonlyMap<number, ConversationSummary>,
  messages: ReadonlyMap<number, MessageView>,
  notes: ReadonlyMap<number, NoteView>,
  entries: ReadonlyMap<number, ConversationHistoryEntry>,
): SerializedEvent[] {
  const events: SerializedEvent[] = [];
  for (const row of rows) {
    const conversation = conversations.get(row.conversation_id);
    if (conversation === undefined || row.scheduled_id !== null || row.reminder_id !== null) continue;
    let event: FeedEvent;
    if (row.note_id !== null) {
      const note = notes.get(row.note_id);
      if (note === undefined) continue;
      event = { type: 'note', seq: row.seq, note };
    } else if (row.entry_id !== null) {
      const entry = entries.get(row.entry_id);
      if (entry === undefined) continue;
      event = { type: 'history', seq: row.seq, conversationId: conversation.id, entry };
    } else if (row.message_id === null) {
      event = { type: 'conversation', seq: row.seq, conversation };
    } else {
      const message = messages.get(row.message_id);
      if (message === undefined) continue;
      event =
        row.kind === 'status'
          ? { type: 'status', seq: row.seq, conversationId: conversation.id, message }
          : { type: 'message', seq: row.seq, conversation, message };
    }
    events.push({ seq: row.seq, key: `e${row.seq}`, place: conversation, ...serialized(event) });
  }
  return events;
}

/** A scheduled message's change (migration 0033): to those who may see its conversation. */
function scheduledEvents(
  rows: readonly FeedRow[],
  conversations: ReadonlyMap<number, ConversationSummary>,
  scheduled: ReadonlyMap<number, ScheduledMessageView>,
): SerializedEvent[] {
  return rows.flatMap((row) => {
    const conversation = conversations.get(row.conversation_id);
    const view = row.scheduled_id === null ? undefined : scheduled.get(row.scheduled_id);
    if (conversation === undefined || view === undefined) return [];
    const event: FeedEvent = { type: 'scheduled_message', seq: row.seq, scheduled: view };
    return [{ seq: row.seq, key: `e${row.seq}`, place: conversation, ...serialized(event) }];
  });
}

/** A reminder come due: for the agent who set it alone, in a conversation they may see. */
function reminderEvents(
  rows: readonly FeedRow[],
  conversations: ReadonlyMap<number, ConversationSummary>,
  reminders: ReadonlyMap<number, ReminderView>,
): PersonalEvent[] {
  return rows.flatMap((row) => {
    const conversation = conversations.get(row.conversation_id);
    const reminder = row.reminder_id === null ? undefined : reminders.get(row.reminder_id);
    if (conversation === undefined || reminder === undefined) return [];
    const event: FeedEvent = { type: 'reminder', seq: row.seq, conversation, reminder };
    return [
      {
        seq: row.seq,
        key: `r${row.seq}`,
        place: conversation,
        ...serialized(event),
        isFor: (viewer: ConversationViewer) => viewer.agentId === reminder.agentId,
      },
    ];
  });
}

/** One `mention` per agent each note of the batch names, sharing the note's seq. */
function mentionEvents(
  rows: readonly FeedRow[],
  conversations: ReadonlyMap<number, ConversationSummary>,
  notes: ReadonlyMap<number, NoteView>,
): PersonalEvent[] {
  return rows.flatMap((row) => {
    const note = row.note_id === null ? undefined : notes.get(row.note_id);
    const conversation = conversations.get(row.conversation_id);
    if (note === undefined || conversation === undefined || note.mentions.length === 0) return [];
    const event: FeedEvent = { type: 'mention', seq: row.seq, conversation, note };
    const json = serialized(event);
    return note.mentions.map((mentioned) => ({
      seq: row.seq,
      key: `m${row.seq}:${mentioned.agentId}`,
      place: conversation,
      ...json,
      isFor: (viewer: ConversationViewer) => viewer.agentId === mentioned.agentId,
    }));
  });
}

/**
 * One `handover` per hand-over entry of the batch, sharing the entry's seq: for the agent it went
 * to, or for the members of the team whose queue it went to (not the one who sent it). Judged on
 * the conversation as it stands after the batch, so a hand-over already moved on tells nobody.
 */
function handoverEvents(
  rows: readonly FeedRow[],
  conversations: ReadonlyMap<number, ConversationSummary>,
  entries: ReadonlyMap<number, ConversationHistoryEntry>,
  notes: ReadonlyMap<number, NoteView>,
): PersonalEvent[] {
  return rows.flatMap((row) => {
    const entry = row.entry_id === null ? undefined : entries.get(row.entry_id);
    const conversation = conversations.get(row.conversation_id);
    const receiver = entry === undefined ? undefined : handoverReceiver(entry);
    if (entry === undefined || conversation === undefined || receiver === undefined) return [];
    const note = entry.noteId === null ? null : (notes.get(entry.noteId) ?? null);
    const event: FeedEvent = { type: 'handover', seq: row.seq, conversation, entry, note };
    const isFor =
      'agentId' in receiver
        ? (viewer: ConversationViewer) => viewer.agentId === receiver.agentId
        : (viewer: ConversationViewer, visibility: ConversationVisibility | undefined) =>
            viewer.agentId !== entry.actor?.agentId && conversation.assignedAgentId === null && (visibility?.queuesOf.includes(receiver.teamId) ?? false);
    return [{ seq: row.seq, key: `t${row.seq}`, place: conversation, ...serialized(event), isFor }];
  });
}

/** The event's JSON with numbers masked, and as it is when that differs. */
function serialized(event: FeedEvent): Pick<SerializedEvent, 'json' | 'unmasked'> {
  if (!holdsCustomerNumber(event)) return { json: JSON.stringify(event) };
  return { json: JSON.stringify(maskCustomers(event, SEES_NO_NUMBER)), unmasked: JSON.stringify(event) };
}

/** The event as this view gets it: unmasked where the policy lets the view see the number of its conversation's team. */
function asSeen<E extends SerializedEvent>(event: E, sight: NumberSight): E {
  if (event.unmasked === undefined || !sight(event.place.teamId)) return event;
  return { ...event, key: `${event.key}!`, json: event.unmasked };
}

class SerializedBatch implements FeedBatch {
  readonly lastSeq: number;
  readonly full: boolean;
  readonly #events: readonly SerializedEvent[];
  readonly #handedOver: readonly SerializedEvent[];
  readonly #personal: readonly PersonalEvent[];
  readonly #numbers: MaskedNumberPolicy;
  readonly #viewed = new Map<string, readonly SerializedEvent[]>();
  readonly #frames = new Map<string, Buffer | undefined>();
  /** Frames by the events they hold: views that differ (two supervisors of the same teams) but see the same events here share one. */
  readonly #framesByContent = new Map<string, Buffer | undefined>();

  constructor(
    lastSeq: number,
    full: boolean,
    events: readonly SerializedEvent[],
    handedOver: readonly SerializedEvent[],
    personal: readonly PersonalEvent[],
    numbers: MaskedNumberPolicy,
  ) {
    this.lastSeq = lastSeq;
    this.full = full;
    this.#events = events;
    this.#handedOver = handedOver;
    this.#personal = personal;
    this.#numbers = numbers;
  }

  frameFor(viewer: ConversationViewer): Buffer | undefined {
    const view = conversationViewOf(viewer);
    const visibility = visibilityOf(viewer);
    // Whose numbers the viewer sees follows from the teams they supervise: part of their view.
    const sight = numberSightOf(viewer, this.#numbers);
    let viewed = this.#viewed.get(view);
    if (viewed === undefined) {
      viewed = viewedEvents(this.#events, this.#handedOver, visibility, sight);
      this.#viewed.set(view, viewed);
    }
    // Mentions of this viewer and hand-overs to them, in conversations they may see now: their frame alone carries them.
    const mine = this.#personal.filter((event) => event.isFor(viewer, visibility) && visibleIn(visibility, event.place)).map((event) => asSeen(event, sight));
    if (mine.length > 0) return frameOf([...viewed, ...mine].sort((a, b) => a.seq - b.seq));
    if (this.#frames.has(view)) return this.#frames.get(view);
    const content = viewed.map((event) => event.key).join(',');
    let frame = this.#framesByContent.get(content);
    if (!this.#framesByContent.has(content)) {
      frame = frameOf(viewed);
      this.#framesByContent.set(content, frame);
    }
    this.#frames.set(view, frame);
    return frame;
  }
}

/**
 * One viewer's events from a batch, in seq order: visible conversations only. Visibility is
 * judged on the state after the batch; whether the viewer saw the conversation before it is not
 * kept, so a conversation whose assignee or team changed in the batch (whatever the batch's last
 * row of it says) is taken, with `conversation_hidden`, from every viewer who may not see it now.
 * The notice carries the batch's last seq of that conversation, so no earlier state can bring it
 * back. One who reads no conversation (no visibility) never saw one: not even a notice.
 */
function viewedEvents(
  events: readonly SerializedEvent[],
  handedOver: readonly SerializedEvent[],
  visibility: ConversationVisibility | undefined,
  sight: NumberSight,
): SerializedEvent[] {
  if (visibility === undefined) return [];
  const viewed = events.filter((event) => visibleIn(visibility, event.place)).map((event) => asSeen(event, sight));
  const hidden = handedOver.filter((notice) => !visibleIn(visibility, notice.place));
  return hidden.length === 0 ? viewed : [...hidden, ...viewed].sort((a, b) => a.seq - b.seq);
}

/** A frame (common/api/events.ts EventFrame): the events' JSON, joined without parsing again. */
function frameOf(events: readonly SerializedEvent[]): Buffer | undefined {
  if (events.length === 0) return undefined;
  return Buffer.from(`[${events.map((event) => event.json).join(',')}]`, 'utf8');
}
