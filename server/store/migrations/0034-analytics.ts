import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME } from './portable-columns.js';

/**
 * Analytics (issue 14), kept as things happen so that a dashboard request reads a conversation's
 * facts and hourly counts for its period and never scans messages (docs/analytics.md).
 *
 * `analytics_conversations`: one row per conversation, its facts: opened, the customer's first
 * message, the business's first answer after it (and by whom), resolved (and by whom), since when
 * it waits for an answer, its team, holder, number and state as they are now.
 * `analytics_hourly`: per hour (epoch ms of its start, UTC), team, agent and number (0 and '' are
 * none: the key stays NOT NULL so ON CONFLICT matches it), the customers' messages in and the
 * business's out. `analytics_template_hourly`: template sends per hour, team, agent, number, name
 * and language (the category is looked up when read). `analytics_team_hourly` (without the agent)
 * and `analytics_daily` (per UTC day) hold the same counts summed, so that a month's busiest hours
 * and agents' rows read thousands of rows, not the hundreds of thousands of the agent-hours.
 * `analytics_team_targets`: a team's target
 * time for a first answer.
 *
 * Triggers keep them, as the feed's do (0003): every writer (webhooks, sends, the away message,
 * the CLI, the test-data generator) maintains them in its own transaction without having to
 * remember them, and a message costs three upserts (hour, team-hour, day) and at most two keyed updates inside the store,
 * with no round trip. Existing data is backfilled here.
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
  await db.schema.createIndex('analytics_conversations_opened').on('analytics_conversations').columns(['opened_at']).execute();
  await db.schema.createIndex('analytics_conversations_resolved').on('analytics_conversations').columns(['resolved_at']).execute();
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

  const postgres = dialectOf(db) === 'postgres';
  await backfill(db, postgres);
  if (postgres) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

/** A customer's own message (not a reaction, edit, revocation or system notice), in SQL over `m`. */
const CUSTOMER_MESSAGE = sql.raw(`m.direction = 'inbound' AND m.origin = 'customer' AND m.type NOT IN ('reaction', 'edit', 'revoke', 'system')`);
/** An answer of the business's people: through Sportello or the WhatsApp Business app (not the away message). */
const ANSWER = sql.raw(`m.direction = 'outbound' AND m.origin IN ('agent', 'business_app') AND m.type NOT IN ('reaction', 'edit', 'revoke')`);
const OUTBOUND = sql.raw(`m.direction = 'outbound' AND m.type NOT IN ('reaction', 'edit', 'revoke')`);

async function backfill(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  await sql`INSERT INTO analytics_conversations (conversation_id, phone_number_id, team_id, agent_id, state, opened_at, resolved_at, resolved_by_agent_id)
    SELECT id, business_phone_number_id, team_id, assigned_agent_id, state, created_at,
      CASE WHEN state = 'resolved' THEN coalesce(resolved_at, state_changed_at, updated_at) END,
      CASE WHEN state = 'resolved' THEN resolved_by_agent_id END
    FROM conversations`.execute(db);
  await sql`UPDATE analytics_conversations SET first_inbound_at =
    (SELECT min(m.sent_at) FROM messages m WHERE m.conversation_id = analytics_conversations.conversation_id AND ${CUSTOMER_MESSAGE})`.execute(db);
  await sql`UPDATE analytics_conversations SET first_response_at =
    (SELECT min(m.sent_at) FROM messages m WHERE m.conversation_id = analytics_conversations.conversation_id AND ${ANSWER} AND m.sent_at >= analytics_conversations.first_inbound_at)
    WHERE first_inbound_at IS NOT NULL`.execute(db);
  await sql`UPDATE analytics_conversations SET first_response_agent_id =
    (SELECT min(m.sent_by_agent_id) FROM messages m WHERE m.conversation_id = analytics_conversations.conversation_id AND ${ANSWER} AND m.sent_at = analytics_conversations.first_response_at)
    WHERE first_response_at IS NOT NULL`.execute(db);
  // Waiting: the customer's messages since the business's latest answer, while not resolved.
  await sql`UPDATE analytics_conversations SET awaiting_since =
    (SELECT min(m.sent_at) FROM messages m WHERE m.conversation_id = analytics_conversations.conversation_id AND ${CUSTOMER_MESSAGE}
      AND m.sent_at > coalesce((SELECT max(m.sent_at) FROM messages m WHERE m.conversation_id = analytics_conversations.conversation_id AND ${ANSWER}), -1))
    WHERE state <> 'resolved' AND first_inbound_at IS NOT NULL`.execute(db);
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

/** The statements the triggers run, over NEW (the message or conversation) and in either dialect but for the JSON. */
function statements(postgres: boolean) {
  const [name, language] = postgres
    ? [`coalesce(NEW.content_json::json ->> 'name', '')`, `coalesce(NEW.content_json::json ->> 'languageCode', '')`]
    : [`coalesce(json_extract(NEW.content_json, '$.name'), '')`, `coalesce(json_extract(NEW.content_json, '$.languageCode'), '')`];
  const hour = 'NEW.sent_at - NEW.sent_at % 3600000';
  const day = 'NEW.sent_at - NEW.sent_at % 86400000';
  const hourly = (
    agent: string,
    into: 'messages_in' | 'messages_out',
  ) => `INSERT INTO analytics_hourly (hour_start, team_key, agent_key, phone_number_id, ${into})
      SELECT ${hour}, coalesce(team_id, 0), coalesce(${agent}, 0), business_phone_number_id, 1 FROM conversations WHERE id = NEW.conversation_id
      ON CONFLICT (hour_start, team_key, agent_key, phone_number_id) DO UPDATE SET ${into} = analytics_hourly.${into} + 1;
    INSERT INTO analytics_team_hourly (hour_start, team_key, phone_number_id, ${into})
      SELECT ${hour}, coalesce(team_id, 0), business_phone_number_id, 1 FROM conversations WHERE id = NEW.conversation_id
      ON CONFLICT (hour_start, team_key, phone_number_id) DO UPDATE SET ${into} = analytics_team_hourly.${into} + 1;
    INSERT INTO analytics_daily (day_start, team_key, agent_key, phone_number_id, ${into})
      SELECT ${day}, coalesce(team_id, 0), coalesce(${agent}, 0), business_phone_number_id, 1 FROM conversations WHERE id = NEW.conversation_id
      ON CONFLICT (day_start, team_key, agent_key, phone_number_id) DO UPDATE SET ${into} = analytics_daily.${into} + 1;`;
  return {
    customerMessage: [
      hourly('assigned_agent_id', 'messages_in'),
      `UPDATE analytics_conversations SET first_inbound_at = coalesce(first_inbound_at, NEW.sent_at), awaiting_since = NEW.sent_at
        WHERE conversation_id = NEW.conversation_id AND awaiting_since IS NULL;`,
    ].join('\n'),
    outbound: hourly('NEW.sent_by_agent_id', 'messages_out'),
    template: `INSERT INTO analytics_template_hourly (hour_start, team_key, agent_key, phone_number_id, template_name, language_code, sends)
      SELECT ${hour}, coalesce(team_id, 0), coalesce(NEW.sent_by_agent_id, 0), business_phone_number_id, ${name}, ${language}, 1 FROM conversations WHERE id = NEW.conversation_id
      ON CONFLICT (hour_start, team_key, agent_key, phone_number_id, template_name, language_code) DO UPDATE SET sends = analytics_template_hourly.sends + 1;`,
    answer: `UPDATE analytics_conversations SET first_response_at = NEW.sent_at, first_response_agent_id = NEW.sent_by_agent_id
        WHERE conversation_id = NEW.conversation_id AND first_response_at IS NULL AND first_inbound_at IS NOT NULL;
      UPDATE analytics_conversations SET awaiting_since = NULL WHERE conversation_id = NEW.conversation_id AND awaiting_since IS NOT NULL;`,
    opened: `INSERT INTO analytics_conversations (conversation_id, phone_number_id, team_id, agent_id, state, opened_at)
      VALUES (NEW.id, NEW.business_phone_number_id, NEW.team_id, NEW.assigned_agent_id, NEW.state, NEW.created_at);`,
    changed: `UPDATE analytics_conversations SET team_id = NEW.team_id, agent_id = NEW.assigned_agent_id, state = NEW.state,
        resolved_at = CASE WHEN NEW.state = 'resolved' THEN coalesce(NEW.resolved_at, NEW.state_changed_at, NEW.updated_at) END,
        resolved_by_agent_id = CASE WHEN NEW.state = 'resolved' THEN NEW.resolved_by_agent_id END,
        awaiting_since = CASE WHEN NEW.state = 'resolved' THEN NULL ELSE awaiting_since END
      WHERE conversation_id = NEW.id;`,
  };
}

const IS_CUSTOMER = `NEW.direction = 'inbound' AND NEW.origin = 'customer' AND NEW.type NOT IN ('reaction', 'edit', 'revoke', 'system')`;
const IS_OUTBOUND = `NEW.direction = 'outbound' AND NEW.type NOT IN ('reaction', 'edit', 'revoke')`;
const IS_ANSWER = `${IS_OUTBOUND} AND NEW.origin IN ('agent', 'business_app')`;
const CHANGED_COLUMNS = 'team_id, assigned_agent_id, state, resolved_at, resolved_by_agent_id';

function changedWhen(distinct: (column: string) => string): string {
  return CHANGED_COLUMNS.split(', ').map(distinct).join(' OR ');
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const s = statements(false);
  const trigger = async (name: string, event: string, when: string, body: string) =>
    await sql.raw(`CREATE TRIGGER ${name} ${event} ${when === '' ? '' : `WHEN ${when}`} BEGIN ${body} END`).execute(db);
  await trigger('analytics_customer_message', 'AFTER INSERT ON messages', IS_CUSTOMER, s.customerMessage);
  await trigger('analytics_outbound_message', 'AFTER INSERT ON messages', IS_OUTBOUND, s.outbound);
  await trigger('analytics_template_sent', 'AFTER INSERT ON messages', `${IS_OUTBOUND} AND NEW.type = 'template'`, s.template);
  await trigger('analytics_answer', 'AFTER INSERT ON messages', IS_ANSWER, s.answer);
  await trigger('analytics_conversation_opened', 'AFTER INSERT ON conversations', '', s.opened);
  await trigger(
    'analytics_conversation_changed',
    `AFTER UPDATE OF ${CHANGED_COLUMNS} ON conversations`,
    changedWhen((column) => `NEW.${column} IS NOT OLD.${column}`),
    s.changed,
  );
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const s = statements(true);
  const fn = async (name: string, body: string) =>
    await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`).execute(db);
  await fn(
    'analytics_message_counted',
    `IF ${IS_CUSTOMER} THEN ${s.customerMessage}
     ELSIF ${IS_OUTBOUND} THEN ${s.outbound}
       IF NEW.type = 'template' THEN ${s.template} END IF;
       IF NEW.origin IN ('agent', 'business_app') THEN ${s.answer} END IF;
     END IF;`,
  );
  await sql.raw(`CREATE TRIGGER analytics_message_counted AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION analytics_message_counted()`).execute(db);
  await fn('analytics_conversation_opened', s.opened);
  await sql
    .raw(`CREATE TRIGGER analytics_conversation_opened AFTER INSERT ON conversations FOR EACH ROW EXECUTE FUNCTION analytics_conversation_opened()`)
    .execute(db);
  await fn('analytics_conversation_changed', s.changed);
  await sql
    .raw(
      `CREATE TRIGGER analytics_conversation_changed AFTER UPDATE OF ${CHANGED_COLUMNS} ON conversations
       FOR EACH ROW WHEN (${changedWhen((column) => `NEW.${column} IS DISTINCT FROM OLD.${column}`)}) EXECUTE FUNCTION analytics_conversation_changed()`,
    )
    .execute(db);
}
