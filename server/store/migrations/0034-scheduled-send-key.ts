import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The key a scheduled message's send goes under (docs/scheduled-messages.md), random and kept on
 * its row: it was `scheduled-<id>`, which an agent's ordinary send could take first, so the
 * scheduled one came back `idempotency_key_reused` or was matched to that other send.
 * The pending ones get theirs now; a row already handed over keeps null, read as the old
 * `scheduled-<id>`, so one left `sending` by a crash still finds the message it queued.
 * Portable (docs/store.md): schema builder, one update per row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scheduled_messages').addColumn('send_key', 'text').execute();
  await db.schema.createIndex('scheduled_messages_send_key').unique().on('scheduled_messages').column('send_key').execute();
  const pending = await sql<{ id: number }>`SELECT id FROM scheduled_messages WHERE state = 'pending'`.execute(db);
  for (const { id } of pending.rows) {
    await sql`UPDATE scheduled_messages SET send_key = ${`scheduled:${crypto.randomUUID()}`} WHERE id = ${id}`.execute(db);
  }
}
