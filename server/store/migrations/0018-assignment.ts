import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { TIME } from './portable-columns.js';

/**
 * Assignment within a team (issue 12): which agent holds a conversation.
 *
 * - `teams.offline_requeue_after_seconds`: how long a member may be offline (disconnected or
 *   locked) before their open conversations of the team go back to its queue; NULL: never.
 * - `team_members.last_assigned_at`: when routing last gave the member a conversation of the team,
 *   the round robin among members holding equally many.
 * - `conversations.queued_at`: when the conversation began waiting in its team's queue, the
 *   queue's order (oldest first). Set once, when it is made; a conversation put back in the queue
 *   keeps it, so it goes back to where it stood. Existing conversations take their creation time.
 *
 * The queue itself is "open, in team T, assigned to nobody": the partial index
 * `conversations_queue` keeps it in order. Portable (docs/store.md): schema builder, one plain
 * UPDATE, and a partial index whose predicate both dialects read alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('teams').addColumn('offline_requeue_after_seconds', 'integer').execute();
  await db.schema.alterTable('team_members').addColumn('last_assigned_at', TIME).execute();
  await db.schema.alterTable('conversations').addColumn('queued_at', TIME).execute();
  await sql`UPDATE conversations SET queued_at = created_at`.execute(db);
  await sql`CREATE INDEX conversations_queue ON conversations (team_id, queued_at, id) WHERE assigned_agent_id IS NULL AND state = 'open'`.execute(db);
}
