import type { Kysely } from 'kysely';
import { notNull, TIME } from './portable-columns.js';

/**
 * Business hours and away messages per team (issue 12). `team_hours`: one row per team that has
 * hours (none: always open): its IANA zone, its week and holidays as JSON text (checked by
 * common/hours/business-hours.ts before they are written), and the away message sent outside them
 * (null: none). It goes with its team (`on delete cascade`), so removing a team needs no step of
 * its own. `away_messages`: each away message sent, one per conversation and quiet period (the
 * closed stretch's first minute, epoch ms), so a webhook delivered twice, or a second message of
 * the customer in the same quiet period, sends nothing more; and so the history can tell an away
 * message from an agent's. Portable (docs/store.md): schema builder only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_hours')
    .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('time_zone', 'text')
    .addColumn('week_json', 'text')
    .addColumn('holidays_json', 'text')
    .addColumn('away_message', 'text')
    .addColumn('updated_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('updated_at', TIME, notNull)
    .execute();
  await db.schema
    .createTable('away_messages')
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id'))
    .addColumn('quiet_period_start', TIME, notNull)
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('team_id', 'integer')
    .addColumn('sent_at', TIME, notNull)
    .addPrimaryKeyConstraint('away_messages_pk', ['conversation_id', 'quiet_period_start'])
    .execute();
  await db.schema.createIndex('away_messages_by_message').on('away_messages').column('message_id').unique().execute();
}
