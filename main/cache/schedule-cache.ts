/**
 * The scheduled messages and this agent's reminders as the cache keeps them (cache-migrations.ts
 * 10): from the feed (`scheduled_message` on every change of one, `reminder` when one comes due)
 * and from the lists read from the server, each row remembering the feed seq of the state it
 * holds, so an older state never overwrites a newer one. Kept only beside a conversation the
 * cache holds (the feed and the lists only bring those the agent may see); one of a conversation
 * the feed took away is refused when older than that word, and goes with the conversation (the
 * triggers). Offline, the conversation's lists are read from here, in the server's order.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ReminderView, ScheduledMessageView } from '../../common/schedule/scheduled-message.js';
import { ReminderView as ReminderSchema, ScheduledMessageView as ScheduledSchema } from '../../common/schedule/scheduled-message.js';
import { orderScheduled } from '../../common/schedule/scheduled-order.js';

export class ScheduleCache {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      holds: db.prepare<[number], { id: number }>('select id from conversations where id = ?'),
      forgottenAt: db.prepare<[number], { seq: number }>('select seq from forgotten_conversations where id = ?'),
      upsertScheduled: db.prepare(
        `insert into scheduled_messages (id, conversation_id, view_json, seq) values (@id, @conversationId, @json, @seq)
         on conflict (id) do update set view_json = excluded.view_json, seq = excluded.seq where excluded.seq >= scheduled_messages.seq`,
      ),
      upsertReminder: db.prepare(
        `insert into reminders (conversation_id, view_json, seq) values (@conversationId, @json, @seq)
         on conflict (conversation_id) do update set view_json = excluded.view_json, seq = excluded.seq where excluded.seq >= reminders.seq`,
      ),
      dropPendingReminder: db.prepare<[number, number]>(
        `delete from reminders where conversation_id = ? and seq <= ? and json_extract(view_json, '$.state') = 'pending'`,
      ),
      scheduledOf: db.prepare<[number], { view_json: string }>('select view_json from scheduled_messages where conversation_id = ?'),
      reminderOf: db.prepare<[number], { view_json: string }>('select view_json from reminders where conversation_id = ?'),
    };
  }

  /** Whether a state of `conversationId` as of `seq` may be kept: beside its conversation, and not older than its leaving. */
  #keeps(conversationId: number, seq: number): boolean {
    if (this.#statements.holds.get(conversationId) === undefined) return false;
    const forgotten = this.#statements.forgottenAt.get(conversationId);
    return forgotten === undefined || forgotten.seq <= seq;
  }

  putScheduled(scheduled: ScheduledMessageView, seq: number): void {
    if (!this.#keeps(scheduled.conversationId, seq)) return;
    this.#statements.upsertScheduled.run({ id: scheduled.id, conversationId: scheduled.conversationId, json: JSON.stringify(scheduled), seq });
  }

  putReminder(reminder: ReminderView, seq: number): void {
    if (!this.#keeps(reminder.conversationId, seq)) return;
    this.#statements.upsertReminder.run({ conversationId: reminder.conversationId, json: JSON.stringify(reminder), seq });
  }

  /**
   * A conversation's lists as the server answered them at feed position `seq`, in one
   * transaction. A pending reminder the server no longer lists (cancelled, here or on another
   * workstation) goes unless the feed brought a newer state; one the feed said came due stays.
   */
  store(conversationId: number, lists: { scheduled?: readonly ScheduledMessageView[]; reminders?: readonly ReminderView[] }, seq: number): void {
    this.#db.transaction(() => {
      for (const scheduled of lists.scheduled ?? []) this.putScheduled(scheduled, seq);
      if (lists.reminders === undefined) return;
      if (lists.reminders.length === 0) this.#statements.dropPendingReminder.run(conversationId, seq);
      for (const reminder of lists.reminders) this.putReminder(reminder, seq);
    })();
  }

  holds(conversationId: number): boolean {
    return this.#statements.holds.get(conversationId) !== undefined;
  }

  /** Pending and sending in due order, then the last that went, came back or were cancelled (as the server lists them). */
  scheduled(conversationId: number): ScheduledMessageView[] {
    return orderScheduled(this.#statements.scheduledOf.all(conversationId).map((row) => ScheduledSchema.parse(JSON.parse(row.view_json))));
  }

  /** The agent's pending reminder of the conversation, as the server lists it (one come due or cancelled is not). */
  reminders(conversationId: number): ReminderView[] {
    const row = this.#statements.reminderOf.get(conversationId);
    if (row === undefined) return [];
    const reminder = ReminderSchema.parse(JSON.parse(row.view_json));
    return reminder.state === 'pending' ? [reminder] : [];
  }
}
