import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * `conversations.queued_at` becomes the one "queued since" (issue 12, server/inbox/queue-wait.ts):
 * set whenever a conversation enters its team's queue, null whenever it is not in one. Migration
 * 0018 set it once, when a conversation was made, and kept it through assignments; the waiting time
 * shown was read from the history instead. This backfills it from that history as the views read
 * it until now: a queued conversation (open, of a team, assigned to nobody) entered the queue at
 * its latest history line that put it there (an assignment to nobody, a change of state to open),
 * else when it began; every other conversation is not queued (null).
 *
 * The column and the queue's partial index (team_id, queued_at, id) stay as 0018 made them.
 * Portable (docs/store.md): one plain UPDATE with a correlated subquery both dialects read alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE conversations SET queued_at = CASE
      WHEN assigned_agent_id IS NULL AND team_id IS NOT NULL AND state = 'open' THEN COALESCE(
        (SELECT MAX(entered.at) FROM conversation_history entered
          WHERE entered.conversation_id = conversations.id
            AND ((entered.kind = 'assignment' AND entered.assigned_agent_id IS NULL)
              OR (entered.kind = 'state' AND entered.state = 'open'))),
        created_at)
      ELSE NULL
    END`.execute(db);
}
