import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { customerMessage, EVERY_CONVERSATION, outboundMessage, refreshFacts } from '../analytics-facts.js';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Analytics (issue 14): the facts and counts a dashboard request reads for its period, so that it
 * never scans messages (docs/analytics.md).
 *
 * `analytics_conversations`: one row per conversation, its facts: opened, the customer's first
 * message, the business's first answer after it (and by whom), resolved (and by whom), since when
 * it waits for an answer, its team, holder, number and state.
 * `analytics_hourly`: per hour (epoch ms of its start, UTC), team, agent and number (0 and '' are
 * none: the key stays NOT NULL so ON CONFLICT matches it), the customers' messages in and the
 * business's out. `analytics_template_hourly`: template sends per hour, team, agent, number, name
 * and language (the category is looked up when read). `analytics_team_hourly` (without the agent)
 * and `analytics_daily` (per UTC day) hold the same counts summed, so that a month's busiest hours
 * and agents' rows read thousands of rows, not the hundreds of thousands of the agent-hours.
 * `analytics_team_targets`: a team's target time for a first answer.
 *
 * They are not kept in the writers' transactions: a trigger there only appends a row to
 * `analytics_pending` (what a counted message adds, with its conversation's team, holder and number
 * as they were when it came; or that a conversation changed), which takes no lock another writer
 * waits for. The fold (server/analytics/analytics-fold.ts) adds pending rows into the counts and
 * works out the facts of the conversations they touch, in its own transaction, and deletes them.
 * (Upserting the hour's, day's and facts' rows in the writers' transactions, as this migration first
 * did, made writers wait for and deadlock with one another: docs/analytics.md.) Existing data is
 * backfilled here, by the same statements as the fold's for the facts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('analytics_conversations')
    .addColumn('conversation_id', 'integer', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('phone_number_id', 'text', notNull)
    .addColumn('team_id', 'integer')
    .addColumn('agent_id', 'integer')
    .addColumn('state', 'text', notNull)
    .addColumn('opened_at', TIME, notNull)
    .addColumn('first_inbound_at', TIME)
    .addColumn('first_response_at', TIME)
    .addColumn('first_response_agent_id', 'integer')
    .addColumn('resolved_at', TIME)
    .addColumn('resolved_by_agent_id', 'integer')
    .addColumn('awaiting_since', TIME)
    .execute();
  // Covering: a report's period reads these ranges from the index alone (server/analytics/analytics-fact-figures.ts).
  const factColumns = ['team_id', 'agent_id', 'first_response_agent_id', 'resolved_by_agent_id', 'phone_number_id', 'first_inbound_at', 'first_response_at'];
  await db.schema
    .createIndex('analytics_conversations_opened')
    .on('analytics_conversations')
    .columns(['opened_at', 'resolved_at', ...factColumns])
    .execute();
  await db.schema
    .createIndex('analytics_conversations_resolved')
    .on('analytics_conversations')
    .columns(['resolved_at', 'opened_at', ...factColumns])
    .execute();
  // In each group's order of a time (all, per team, per agent): a report ranks the times for the median and p90 in index order, with no sort.
  const covered =
    'opened_at, resolved_at, first_inbound_at, first_response_at, team_id, phone_number_id, agent_id, first_response_agent_id, resolved_by_agent_id';
  for (const [name, time, agent] of [
    ['first_response', '(first_response_at - first_inbound_at)', 'first_response_agent_id'],
    ['resolution', '(resolved_at - opened_at)', 'resolved_by_agent_id'],
  ] as const) {
    await sql.raw(`CREATE INDEX analytics_conversations_${name}_order ON analytics_conversations (${time}, ${covered})`).execute(db);
    await sql.raw(`CREATE INDEX analytics_conversations_${name}_team ON analytics_conversations (coalesce(team_id, 0), ${time}, ${covered})`).execute(db);
    await sql.raw(`CREATE INDEX analytics_conversations_${name}_agent ON analytics_conversations (${agent}, ${time}, ${covered})`).execute(db);
  }
  await db.schema
    .createIndex('analytics_conversations_awaiting')
    .on('analytics_conversations')
    .columns(['awaiting_since'])
    .where(sql.ref('awaiting_since'), 'is not', null)
    .execute();

  const keyColumns = (table: ReturnType<typeof db.schema.createTable>) =>
    table
      .addColumn('hour_start', TIME, notNull)
      .addColumn('team_key', 'integer', notNull)
      .addColumn('agent_key', 'integer', notNull)
      .addColumn('phone_number_id', 'text', notNull);
  await keyColumns(db.schema.createTable('analytics_hourly'))
    .addColumn('messages_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('messages_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_hourly_key', ['hour_start', 'team_key', 'agent_key', 'phone_number_id'])
    .execute();
  for (const column of ['team_key', 'agent_key', 'phone_number_id'] as const) {
    await db.schema.createIndex(`analytics_hourly_${column}`).on('analytics_hourly').columns([column, 'hour_start']).execute();
  }
  // The same counts without the agent (what the busiest hours and the teams' rows read), and per UTC day with it (the agents' rows).
  await db.schema
    .createTable('analytics_team_hourly')
    .addColumn('hour_start', TIME, notNull)
    .addColumn('team_key', 'integer', notNull)
    .addColumn('phone_number_id', 'text', notNull)
    .addColumn('messages_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('messages_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_team_hourly_key', ['hour_start', 'team_key', 'phone_number_id'])
    .execute();
  await db.schema
    .createTable('analytics_daily')
    .addColumn('day_start', TIME, notNull)
    .addColumn('team_key', 'integer', notNull)
    .addColumn('agent_key', 'integer', notNull)
    .addColumn('phone_number_id', 'text', notNull)
    .addColumn('messages_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('messages_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_daily_key', ['day_start', 'team_key', 'agent_key', 'phone_number_id'])
    .execute();
  await keyColumns(db.schema.createTable('analytics_template_hourly'))
    .addColumn('template_name', 'text', notNull)
    .addColumn('language_code', 'text', notNull)
    .addColumn('sends', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_template_hourly_key', ['hour_start', 'team_key', 'agent_key', 'phone_number_id', 'template_name', 'language_code'])
    .execute();
  await db.schema
    .createTable('analytics_team_targets')
    .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('first_response_target_seconds', 'integer', notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();

  // What the writers' triggers append and the fold takes (and deletes); `taken` marks the rows of the fold's own transaction.
  await withId(db.schema.createTable('analytics_pending'))
    .addColumn('conversation_id', 'integer', notNull)
    .addColumn('message_id', 'integer')
    .addColumn('hour_start', TIME)
    .addColumn('team_key', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_key', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phone_number_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('messages_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('messages_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('template_name', 'text')
    .addColumn('language_code', 'text')
    .addColumn('taken', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('analytics_pending_taken').on('analytics_pending').columns(['taken', 'conversation_id']).execute();
  // One row: the fold's lock (PostgreSQL: FOR UPDATE, so two server processes fold one after the other) and what it did.
  await db.schema
    .createTable('analytics_fold')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('folded_rows', TIME, notNull)
    .addColumn('folded_at', TIME, notNull)
    .execute();
  await sql`INSERT INTO analytics_fold (id, folded_rows, folded_at) VALUES (1, 0, 0)`.execute(db);

  const postgres = dialectOf(db) === 'postgres';
  await backfill(db, postgres);
  if (postgres) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

const CUSTOMER_MESSAGE = sql.raw(customerMessage('m'));
const OUTBOUND = sql.raw(outboundMessage('m'));

async function backfill(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  await refreshFacts(db, EVERY_CONVERSATION);
  const agentOf = sql.raw(`coalesce(CASE WHEN m.direction = 'outbound' THEN m.sent_by_agent_id ELSE c.assigned_agent_id END, 0)`);
  await sql`INSERT INTO analytics_hourly (hour_start, team_key, agent_key, phone_number_id, messages_in, messages_out)
    SELECT m.sent_at - m.sent_at % 3600000, coalesce(c.team_id, 0), ${agentOf}, c.business_phone_number_id,
      sum(CASE WHEN ${CUSTOMER_MESSAGE} THEN 1 ELSE 0 END), sum(CASE WHEN ${OUTBOUND} THEN 1 ELSE 0 END)
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE (${CUSTOMER_MESSAGE}) OR (${OUTBOUND})
    GROUP BY m.sent_at - m.sent_at % 3600000, coalesce(c.team_id, 0), ${agentOf}, c.business_phone_number_id`.execute(db);
  await sql`INSERT INTO analytics_team_hourly (hour_start, team_key, phone_number_id, messages_in, messages_out)
    SELECT hour_start, team_key, phone_number_id, sum(messages_in), sum(messages_out) FROM analytics_hourly GROUP BY hour_start, team_key, phone_number_id`.execute(
    db,
  );
  await sql`INSERT INTO analytics_daily (day_start, team_key, agent_key, phone_number_id, messages_in, messages_out)
    SELECT hour_start - hour_start % 86400000, team_key, agent_key, phone_number_id, sum(messages_in), sum(messages_out) FROM analytics_hourly
    GROUP BY hour_start - hour_start % 86400000, team_key, agent_key, phone_number_id`.execute(db);
  const [name, language] = postgres
    ? [sql.raw(`coalesce(m.content_json::json ->> 'name', '')`), sql.raw(`coalesce(m.content_json::json ->> 'languageCode', '')`)]
    : [sql.raw(`coalesce(json_extract(m.content_json, '$.name'), '')`), sql.raw(`coalesce(json_extract(m.content_json, '$.languageCode'), '')`)];
  await sql`INSERT INTO analytics_template_hourly (hour_start, team_key, agent_key, phone_number_id, template_name, language_code, sends)
    SELECT m.sent_at - m.sent_at % 3600000, coalesce(c.team_id, 0), coalesce(m.sent_by_agent_id, 0), c.business_phone_number_id, ${name}, ${language}, count(*)
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.direction = 'outbound' AND m.type = 'template'
    GROUP BY m.sent_at - m.sent_at % 3600000, coalesce(c.team_id, 0), coalesce(m.sent_by_agent_id, 0), c.business_phone_number_id, ${name}, ${language}`.execute(
    db,
  );
}

/** The pending row a counted message appends (over NEW), with its conversation as it is now; in either dialect but for the JSON. */
function pendingMessage(postgres: boolean): string {
  const [name, language] = postgres
    ? [`NEW.content_json::json ->> 'name'`, `NEW.content_json::json ->> 'languageCode'`]
    : [`json_extract(NEW.content_json, '$.name')`, `json_extract(NEW.content_json, '$.languageCode')`];
  const template = `${IS_OUTBOUND} AND NEW.type = 'template'`;
  return `INSERT INTO analytics_pending (conversation_id, message_id, hour_start, team_key, agent_key, phone_number_id, messages_in, messages_out, template_name, language_code)
    SELECT NEW.conversation_id, NEW.id, NEW.sent_at - NEW.sent_at % 3600000, coalesce(team_id, 0),
      coalesce(CASE WHEN NEW.direction = 'outbound' THEN NEW.sent_by_agent_id ELSE assigned_agent_id END, 0), business_phone_number_id,
      CASE WHEN ${IS_CUSTOMER} THEN 1 ELSE 0 END, CASE WHEN ${IS_OUTBOUND} THEN 1 ELSE 0 END,
      CASE WHEN ${template} THEN coalesce(${name}, '') END, CASE WHEN ${template} THEN coalesce(${language}, '') END
    FROM conversations WHERE id = NEW.conversation_id;`;
}
const PENDING_CONVERSATION = `INSERT INTO analytics_pending (conversation_id) VALUES (NEW.id);`;

const IS_CUSTOMER = customerMessage('NEW');
const IS_OUTBOUND = outboundMessage('NEW');
const CHANGED_COLUMNS = 'team_id, assigned_agent_id, state, resolved_at, resolved_by_agent_id, business_phone_number_id';

function changedWhen(distinct: (column: string) => string): string {
  return CHANGED_COLUMNS.split(', ').map(distinct).join(' OR ');
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const trigger = async (name: string, event: string, when: string, body: string) =>
    await sql.raw(`CREATE TRIGGER ${name} ${event} ${when === '' ? '' : `WHEN ${when}`} BEGIN ${body} END`).execute(db);
  await trigger('analytics_message_pending', 'AFTER INSERT ON messages', `(${IS_CUSTOMER}) OR (${IS_OUTBOUND})`, pendingMessage(false));
  await trigger('analytics_conversation_opened', 'AFTER INSERT ON conversations', '', PENDING_CONVERSATION);
  await trigger(
    'analytics_conversation_changed',
    `AFTER UPDATE OF ${CHANGED_COLUMNS} ON conversations`,
    changedWhen((column) => `NEW.${column} IS NOT OLD.${column}`),
    PENDING_CONVERSATION,
  );
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const fn = async (name: string, body: string) =>
    await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`).execute(db);
  await fn('analytics_message_pending', pendingMessage(true));
  await sql
    .raw(
      `CREATE TRIGGER analytics_message_pending AFTER INSERT ON messages FOR EACH ROW WHEN ((${IS_CUSTOMER}) OR (${IS_OUTBOUND})) EXECUTE FUNCTION analytics_message_pending()`,
    )
    .execute(db);
  await fn('analytics_conversation_pending', PENDING_CONVERSATION);
  await sql
    .raw(`CREATE TRIGGER analytics_conversation_opened AFTER INSERT ON conversations FOR EACH ROW EXECUTE FUNCTION analytics_conversation_pending()`)
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER analytics_conversation_changed AFTER UPDATE OF ${CHANGED_COLUMNS} ON conversations
       FOR EACH ROW WHEN (${changedWhen((column) => `NEW.${column} IS DISTINCT FROM OLD.${column}`)}) EXECUTE FUNCTION analytics_conversation_pending()`,
    )
    .execute(db);
}
