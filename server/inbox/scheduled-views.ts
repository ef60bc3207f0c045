/** Scheduled messages and reminders as the client API and the feed show them (common/schedule/scheduled-message.ts). */
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { ReminderView, ScheduledMessageView } from '../../common/schedule/scheduled-message.js';
import { ScheduledContent, ScheduledTemplate } from '../../common/schedule/scheduled-message.js';
import type { RemindersTable, ScheduledMessagesTable } from '../store/schedule-schema.js';
import type { InboxDatabase } from '../store/schema.js';

export type ScheduledRow = Selectable<ScheduledMessagesTable>;
export type ReminderRow = Selectable<RemindersTable>;

export function scheduledView(row: ScheduledRow): ScheduledMessageView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    content: ScheduledContent.parse(JSON.parse(row.content_json)),
    fallbackTemplate: row.fallback_json === null ? null : ScheduledTemplate.parse(JSON.parse(row.fallback_json)),
    sendAt: Number(row.send_at),
    timeZone: row.time_zone,
    state: row.state,
    reason: row.reason,
    messageId: row.message_id,
    sentAsFallback: Number(row.sent_as_fallback) === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function reminderView(row: ReminderRow): ReminderView {
  return { conversationId: row.conversation_id, agentId: row.agent_id, remindAt: Number(row.remind_at), timeZone: row.time_zone, state: row.state };
}

export async function scheduledByIds(db: Kysely<InboxDatabase>, ids: readonly number[]): Promise<Map<number, ScheduledMessageView>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('scheduled_messages')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, scheduledView(row)]));
}

export async function remindersByIds(db: Kysely<InboxDatabase>, ids: readonly number[]): Promise<Map<number, ReminderView>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('reminders')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, reminderView(row)]));
}

const WENT_SHOWN = 50;

/** A conversation's: pending and sending in due order, then the last that went, came back or were cancelled. */
export async function scheduledOfConversation(db: Kysely<InboxDatabase>, conversationId: number): Promise<ScheduledMessageView[]> {
  const waiting = await db
    .selectFrom('scheduled_messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('state', 'in', ['pending', 'sending'])
    .orderBy('send_at')
    .orderBy('id')
    .execute();
  const went = await db
    .selectFrom('scheduled_messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('state', 'not in', ['pending', 'sending'])
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(WENT_SHOWN)
    .execute();
  return [...waiting, ...went].map(scheduledView);
}

/** The pending ones of the conversations of these teams, in due order. */
export async function pendingOfTeams(db: Kysely<InboxDatabase>, teams: readonly number[], limit = 500): Promise<ScheduledMessageView[]> {
  if (teams.length === 0) return [];
  const rows = await db
    .selectFrom('scheduled_messages')
    .innerJoin('conversations', 'conversations.id', 'scheduled_messages.conversation_id')
    .selectAll('scheduled_messages')
    .where('scheduled_messages.state', '=', sql.lit('pending'))
    .where('conversations.team_id', 'in', [...teams])
    .orderBy('scheduled_messages.send_at')
    .orderBy('scheduled_messages.id')
    .limit(limit)
    .execute();
  return rows.map(scheduledView);
}
