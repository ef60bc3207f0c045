import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * The durable job runner and each agent's presence settings (issue 12).
 *
 * `jobs` holds every timed thing the server does (server/jobs/): its kind, when it is due, its
 * JSON payload, the conversation it concerns if any (for the supervisors' view, which follows the
 * need-to-know rule), and its state: `waiting` → `running` (claimed by one runner until
 * `lease_until`) → `done`, back to `waiting` with a later `due_at` after a failure, `failed` after
 * its last attempt, or `cancelled`. A dedupe key makes the same timed thing wait once: unique per
 * kind among waiting jobs.
 *
 * `agent_settings` keeps what an agent sets for themselves: available or away (away takes no new
 * conversations), and their time zone (the workstation's at sign-in until the agent picks one).
 * A missing row is an available agent with no zone yet.
 *
 * Portable (docs/store.md): schema builder, integer times, 0/1 booleans, a partial unique index
 * matched in ON CONFLICT with a literal predicate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('jobs'))
    .addColumn('kind', 'text', notNull)
    .addColumn('dedupe_key', 'text')
    .addColumn('conversation_id', 'integer', (c) => c.references('conversations.id'))
    .addColumn('payload_json', 'text', notNull)
    .addColumn('state', 'text', notNull)
    .addColumn('due_at', TIME, notNull)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', notNull)
    .addColumn('claimed_by', 'text')
    .addColumn('lease_until', TIME)
    .addColumn('last_error_code', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .addColumn('finished_at', TIME)
    .execute();
  await db.schema.createIndex('jobs_waiting_dedupe').on('jobs').columns(['kind', 'dedupe_key']).unique().where(sql.ref('state'), '=', 'waiting').execute();
  await db.schema.createIndex('jobs_by_state_due').on('jobs').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('jobs_by_conversation').on('jobs').column('conversation_id').execute();
  await db.schema.createIndex('jobs_by_finished').on('jobs').column('finished_at').execute();

  await db.schema
    .createTable('agent_settings')
    .addColumn('agent_id', 'integer', (c) => c.primaryKey().references('agents.id'))
    .addColumn('available', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('time_zone', 'text')
    .addColumn('time_zone_chosen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', TIME, notNull)
    .execute();
}
