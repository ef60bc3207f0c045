import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME, withId } from './portable-columns.js';

/** The team every deployment has after this migration, holding what was there before it. */
export const GENERAL_TEAM = 'General';
/** The capacity the migration gives every existing agent in the General team. */
export const MIGRATED_CAPACITY = 10;

/**
 * Teams (issue 12). `teams` (a unique name, a description); `team_members` (an agent in a team,
 * with the number of open conversations they can hold at once); `team_supervisors` (an agent
 * supervising a team). A conversation belongs to one team at a time (`conversations.team_id`);
 * a business number names the team its new conversations go to (`default_team_id`, from 0012).
 * An agent holds a set of roles (`agents.roles`, the roles in ROLES order joined by commas), which
 * replaces the single `role`.
 *
 * What was there keeps working: one team, General, holds every conversation and every number;
 * every agent holding `agent` is a member of it (capacity 10), every supervisor supervises it.
 * An admin keeps `admin` only, and from now on reads no conversation unless given `supervisor` or
 * `agent` (docs/inbox-server.md, "Need to know"). A conversation moved to another team is a feed
 * event of kind `assignment`, as a change of assignee is: it may leave some viewers' view.
 * Portable (docs/store.md): schema builder and plain INSERT … SELECT; the trigger in both dialects.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('teams'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('capacity', 'integer', notNull)
    .addColumn('created_at', TIME, notNull)
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('team_members_by_agent').on('team_members').columns(['agent_id']).execute();
  await db.schema
    .createTable('team_supervisors')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('created_at', TIME, notNull)
    .addPrimaryKeyConstraint('team_supervisors_pk', ['team_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('team_supervisors_by_agent').on('team_supervisors').columns(['agent_id']).execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('team_id', 'integer', (c) => c.references('teams.id'))
    .execute();
  await db.schema.createIndex('conversations_by_team').on('conversations').columns(['team_id', 'last_message_at desc']).execute();

  await db.schema
    .alterTable('agents')
    .addColumn('roles', 'text', (c) => c.notNull().defaultTo('agent'))
    .execute();
  await sql`UPDATE agents SET roles = role`.execute(db);
  await db.schema.alterTable('agents').dropColumn('role').execute();

  const now = sql.lit(Date.now());
  // No description: the screens show it as written, in whichever language they speak.
  await sql`INSERT INTO teams (name, description, created_at, updated_at) VALUES (${sql.lit(GENERAL_TEAM)}, NULL, ${now}, ${now})`.execute(db);
  const general = sql`(SELECT id FROM teams WHERE name = ${sql.lit(GENERAL_TEAM)})`;
  await sql`INSERT INTO team_members (team_id, agent_id, capacity, created_at)
    SELECT ${general}, id, ${sql.lit(MIGRATED_CAPACITY)}, ${now} FROM agents WHERE roles = 'agent'`.execute(db);
  await sql`INSERT INTO team_supervisors (team_id, agent_id, created_at)
    SELECT ${general}, id, ${now} FROM agents WHERE roles = 'supervisor'`.execute(db);
  await sql`UPDATE conversations SET team_id = ${general}`.execute(db);
  await sql`UPDATE business_numbers SET default_team_id = ${general} WHERE default_team_id IS NULL`.execute(db);

  if (dialectOf(db) === 'postgres') {
    const nowMs = sql.raw('floor(extract(epoch from clock_timestamp()) * 1000)::bigint');
    await sql`CREATE FUNCTION events_conversation_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('assignment', NEW.id, NULL, ${nowMs}); RETURN NULL; END $$`.execute(db);
    await sql`CREATE TRIGGER events_conversation_moved AFTER UPDATE OF team_id ON conversations
      FOR EACH ROW WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id) EXECUTE FUNCTION events_conversation_moved()`.execute(db);
  } else {
    const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
    await sql`CREATE TRIGGER events_conversation_moved AFTER UPDATE OF team_id ON conversations
      WHEN OLD.team_id IS NOT NEW.team_id
      BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('assignment', NEW.id, NULL, ${nowMs}); END`.execute(db);
  }
}
