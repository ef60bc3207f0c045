import type { Kysely } from 'kysely';

/**
 * Hand-over (issue 12): a transfer names the team the conversation moved to (null: it stayed in
 * its team) and the internal note the transfer carried (null: none), on its history entry, so the
 * desk's system line reads "Anna transferred it to Billing" and the receiver is shown the note.
 * Two nullable columns: additive and portable (docs/store.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversation_history')
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .execute();
  await db.schema
    .alterTable('conversation_history')
    .addColumn('note_id', 'integer', (c) => c.references('notes.id'))
    .execute();
}
