import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * A hand-over's history line keeps the name of the team the conversation moved to (issue 12):
 * removing that team later clears the line's reference to it (`team_id`, a foreign key, which
 * kept the team from being removed at all) and the line still says where the conversation went.
 * Written with each line from then on; filled here for the lines already kept. One nullable
 * column and one UPDATE: additive and portable (docs/store.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversation_history').addColumn('team_name', 'text').execute();
  await sql`UPDATE conversation_history SET team_name = (SELECT name FROM teams WHERE teams.id = conversation_history.team_id) WHERE team_id IS NOT NULL`.execute(
    db,
  );
}
