/** The scheduled messages' and reminders' tables (migration 0033), as Kysely sees them. */
import type { ColumnType, Generated } from 'kysely';
import type { ScheduledState } from '../../common/schedule/scheduled-message.js';

export interface ScheduledMessagesTable {
  id: Generated<number>;
  conversation_id: number;
  /** Who scheduled it: the send goes out as theirs. */
  agent_id: number;
  /** common/schedule/scheduled-message.ts ScheduledContent, as JSON. */
  content_json: string;
  /** ScheduledTemplate as JSON; null: none. */
  fallback_json: string | null;
  send_at: number;
  time_zone: string;
  state: ScheduledState;
  reason: string | null;
  message_id: number | null;
  /** 1: the window had closed and the fallback template went instead (decided in the job's transaction). */
  sent_as_fallback: ColumnType<number, number | undefined, number>;
  /** 1: the agent confirmed the one-time-code warning when scheduling. */
  confirmed_code: ColumnType<number, number | undefined, number>;
  idempotency_key: string;
  /**
   * The key its send goes under (0034): random, never shown, so no other send can take it first.
   * Null on one handed over before 0034: it went as `scheduled-<id>`.
   */
  send_key: string | null;
  request_hash: string;
  created_at: number;
  updated_at: number;
}

export type ReminderState = 'pending' | 'due' | 'cancelled';

export interface RemindersTable {
  id: Generated<number>;
  conversation_id: number;
  agent_id: number;
  remind_at: number;
  time_zone: string;
  state: ReminderState;
  created_at: number;
  updated_at: number;
}

export interface ScheduleTables {
  scheduled_messages: ScheduledMessagesTable;
  reminders: RemindersTable;
}
