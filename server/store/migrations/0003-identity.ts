import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { dialectOf } from '../sql-dialect.js';
import { notNull, TIME, withId } from './portable-columns.js';

/** Devices, pairings, agents, sessions, the audit chain and the client event feed; conversation ownership. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('device_allowlist')
    .addColumn('machine_id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', notNull)
    .addColumn('added_by', 'text', notNull)
    .addColumn('added_at', TIME, notNull)
    .execute();

  await withId(db.schema.createTable('devices'))
    .addColumn('machine_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text')
    .addColumn('key_fingerprint', 'text')
    .addColumn('hostname', 'text', notNull)
    .addColumn('os', 'text', notNull)
    .addColumn('app_version', 'text', notNull)
    .addColumn('storage_backend', 'text', notNull)
    .addColumn('label', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', TIME)
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', TIME)
    .addColumn('revoked_reason', 'text')
    .addColumn('cache_share_sealed', 'text')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins_since', TIME)
    .addColumn('last_seen_at', TIME)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();

  await withId(db.schema.createTable('pairings'))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
    .addColumn('public_key', 'text', notNull)
    .addColumn('key_fingerprint', 'text', notNull)
    .addColumn('hostname', 'text', notNull)
    .addColumn('os', 'text', notNull)
    .addColumn('app_version', 'text', notNull)
    .addColumn('storage_backend', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('codes_issued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TIME, notNull)
    .addColumn('expires_at', TIME, notNull)
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', TIME)
    .execute();
  await db.schema.createIndex('pairings_by_device').on('pairings').columns(['device_id', 'status']).execute();

  await withId(db.schema.createTable('pairing_codes'))
    .addColumn('pairing_id', 'integer', (c) => c.notNull().references('pairings.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('issued_at', TIME, notNull)
    .addColumn('expires_at', TIME, notNull)
    .addColumn('used_at', TIME)
    .execute();
  await db.schema.createIndex('pairing_codes_by_pairing').on('pairing_codes').column('pairing_id').execute();

  await withId(db.schema.createTable('agents'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', notNull)
    .addColumn('role', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret_sealed', 'text')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('enrollment_code_hash', 'text', (c) => c.unique())
    .addColumn('enrollment_expires_at', TIME)
    .addColumn('enrollment_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_password_hash', 'text')
    .addColumn('pending_totp_secret_sealed', 'text')
    .addColumn('pending_enrollment_id', 'text', (c) => c.unique())
    .addColumn('pending_enrollment_device_id', 'integer')
    .addColumn('pending_enrollment_expires_at', TIME)
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_at', TIME)
    .addColumn('disabled_at', TIME)
    .addColumn('created_by', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .addColumn('updated_at', TIME, notNull)
    .execute();

  await withId(db.schema.createTable('recovery_codes'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('code_hash', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .addColumn('used_at', TIME)
    .addUniqueConstraint('recovery_codes_agent_code', ['agent_id', 'code_hash'])
    .execute();

  await withId(db.schema.createTable('sessions'))
    .addColumn('kind', 'text', notNull)
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('device_id', 'integer', (c) => c.references('devices.id'))
    .addColumn('access_hash', 'text', (c) => c.notNull().unique())
    .addColumn('access_expires_at', TIME, notNull)
    .addColumn('refresh_hash', 'text', (c) => c.unique())
    .addColumn('expires_at', TIME, notNull)
    .addColumn('csrf_hash', 'text')
    .addColumn('source_address', 'text', notNull)
    .addColumn('created_at', TIME, notNull)
    .addColumn('last_used_at', TIME, notNull)
    .addColumn('ended_at', TIME)
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_by_device').on('sessions').columns(['device_id', 'ended_at']).execute();
  await db.schema.createIndex('sessions_by_agent').on('sessions').columns(['agent_id', 'ended_at']).execute();

  await db.schema
    .createTable('auth_nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', TIME, notNull)
    .execute();

  await withId(db.schema.createTable('audit_log'))
    .addColumn('at', TIME, notNull)
    .addColumn('event', 'text', notNull)
    .addColumn('outcome', 'text', notNull)
    .addColumn('actor', 'text', notNull)
    .addColumn('agent_id', 'integer')
    .addColumn('device_id', 'integer')
    .addColumn('source_address', 'text')
    .addColumn('details_json', 'text', notNull)
    .addColumn('prev_hash', 'text', notNull)
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();

  const postgres = dialectOf(db) === 'postgres';
  // PostgreSQL: the position is stamped after commit (docs/store.md), so the row's own key is `id`.
  await (
    postgres
      ? db.schema
          .createTable('events')
          .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
          .addColumn('seq', 'bigint', (c) => c.unique())
      : db.schema.createTable('events').addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('kind', 'text', notNull)
    .addColumn('conversation_id', 'integer', notNull)
    .addColumn('message_id', 'integer')
    .addColumn('created_at', TIME, notNull)
    .execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('assigned_agent_id', 'integer', (c) => c.references('agents.id'))
    .execute();
  await db.schema.alterTable('conversations').addColumn('assigned_at', TIME).execute();
  await db.schema.createIndex('conversations_by_assignee').on('conversations').columns(['assigned_agent_id', 'last_message_at desc']).execute();
  await db.schema
    .alterTable('messages')
    .addColumn('sent_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .execute();
  await db.schema.createIndex('messages_by_conversation_time').on('messages').columns(['conversation_id', 'sent_at', 'id']).execute();

  // The client event feed is written by the database itself, in the transaction of each change,
  // so no writer (webhooks, sends, the media fetcher, the CLI) can forget an event. SQLite
  // triggers; on PostgreSQL trigger functions writing the same rows (unnumbered).
  if (postgres) {
    await postgresFeedTriggers(db);
    return;
  }
  const nowMs = sql.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`);
  const amendment = sql.raw(`('reaction', 'edit', 'revoke')`);
  await sql`CREATE TRIGGER events_message_added AFTER INSERT ON messages WHEN NEW.type NOT IN ${amendment}
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('message', NEW.conversation_id, NEW.id, ${nowMs}); END`.execute(db);
  await sql`CREATE TRIGGER events_message_status AFTER UPDATE OF status ON messages WHEN NEW.type NOT IN ${amendment} AND OLD.status IS NOT NEW.status
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('status', NEW.conversation_id, NEW.id, ${nowMs}); END`.execute(db);
  await sql`CREATE TRIGGER events_message_changed AFTER UPDATE OF content_json, edited_at, deleted_at, media_id, wamid ON messages
    WHEN NEW.type NOT IN ${amendment} AND (OLD.content_json IS NOT NEW.content_json OR OLD.edited_at IS NOT NEW.edited_at OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.media_id IS NOT NEW.media_id OR OLD.wamid IS NOT NEW.wamid)
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('message', NEW.conversation_id, NEW.id, ${nowMs}); END`.execute(db);
  for (const [name, when] of [
    ['events_reaction_added', 'AFTER INSERT'],
    ['events_reaction_changed', 'AFTER UPDATE'],
  ] as const) {
    await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(when)} ON reactions
      BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
        SELECT 'message', conversation_id, id, ${nowMs} FROM messages WHERE wamid = NEW.target_wamid; END`.execute(db);
  }
  await sql`CREATE TRIGGER events_media_state AFTER UPDATE OF state ON media WHEN OLD.state IS NOT NEW.state
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at)
      SELECT 'message', conversation_id, id, ${nowMs} FROM messages WHERE media_id = NEW.id; END`.execute(db);
  // Unread going up and the window moving come with a message event; these are the other changes.
  await sql`CREATE TRIGGER events_conversation_changed AFTER UPDATE OF unread_count, assigned_agent_id ON conversations
    WHEN NEW.unread_count < OLD.unread_count OR OLD.assigned_agent_id IS NOT NEW.assigned_agent_id
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) VALUES ('conversation', NEW.id, NULL, ${nowMs}); END`.execute(db);
}

/** A trigger function inserting into `events` what `insert` selects, and its row trigger. */
async function postgresEventTrigger(db: Kysely<unknown>, name: string, on: string, when: string | null, insert: string): Promise<void> {
  const nowMs = 'floor(extract(epoch from clock_timestamp()) * 1000)::bigint';
  await sql`CREATE FUNCTION ${sql.raw(name)}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO events (kind, conversation_id, message_id, created_at) ${sql.raw(insert.replaceAll('$now', nowMs))}; RETURN NULL; END $$`.execute(db);
  await sql`CREATE TRIGGER ${sql.raw(name)} ${sql.raw(on)} FOR EACH ROW ${sql.raw(when === null ? '' : `WHEN (${when})`)}
    EXECUTE FUNCTION ${sql.raw(name)}()`.execute(db);
}

/** The same events as the SQLite triggers, with `seq` left NULL for the stamping passes (server/store/feed-sequencer.ts). */
async function postgresFeedTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SEQUENCE events_seq AS bigint`.execute(db);
  await sql`CREATE INDEX events_unstamped ON events (id) WHERE seq IS NULL`.execute(db);
  const notAmendment = `NEW.type NOT IN ('reaction', 'edit', 'revoke')`;
  const messageRow = `VALUES ('message', NEW.conversation_id, NEW.id, $now)`;
  await postgresEventTrigger(db, 'events_message_added', 'AFTER INSERT ON messages', notAmendment, messageRow);
  await postgresEventTrigger(
    db,
    'events_message_status',
    'AFTER UPDATE OF status ON messages',
    `${notAmendment} AND OLD.status IS DISTINCT FROM NEW.status`,
    `VALUES ('status', NEW.conversation_id, NEW.id, $now)`,
  );
  await postgresEventTrigger(
    db,
    'events_message_changed',
    'AFTER UPDATE OF content_json, edited_at, deleted_at, media_id, wamid ON messages',
    `${notAmendment} AND (OLD.content_json IS DISTINCT FROM NEW.content_json OR OLD.edited_at IS DISTINCT FROM NEW.edited_at OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.media_id IS DISTINCT FROM NEW.media_id OR OLD.wamid IS DISTINCT FROM NEW.wamid)`,
    messageRow,
  );
  const reactedMessage = `SELECT 'message', conversation_id, id, $now FROM messages WHERE wamid = NEW.target_wamid`;
  await postgresEventTrigger(db, 'events_reaction_added', 'AFTER INSERT ON reactions', null, reactedMessage);
  await postgresEventTrigger(db, 'events_reaction_changed', 'AFTER UPDATE ON reactions', null, reactedMessage);
  await postgresEventTrigger(
    db,
    'events_media_state',
    'AFTER UPDATE OF state ON media',
    'OLD.state IS DISTINCT FROM NEW.state',
    `SELECT 'message', conversation_id, id, $now FROM messages WHERE media_id = NEW.id`,
  );
  await postgresEventTrigger(
    db,
    'events_conversation_changed',
    'AFTER UPDATE OF unread_count, assigned_agent_id ON conversations',
    'NEW.unread_count < OLD.unread_count OR OLD.assigned_agent_id IS DISTINCT FROM NEW.assigned_agent_id',
    `VALUES ('conversation', NEW.id, NULL, $now)`,
  );
}
