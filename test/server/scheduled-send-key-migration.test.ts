/**
 * Migration 0034 on a store written before it: each pending scheduled message gets a send key of
 * its own (random, `scheduled:<uuid>`, none alike), and one already handed over keeps none, read
 * as the `scheduled-<id>` it was queued under, so a hand-off left `sending` by a crash still finds
 * the message it queued instead of queueing another.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { scheduledSendKey } from '../../server/schedule/scheduled-send-key.js';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { DATABASE_FILE } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { contactRow } from '../helpers/fresh-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BEFORE_0034 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0034'));
const NUMBER = '100000000000001';

describe('migration 0034 (scheduled send keys)', () => {
  it('gives each pending one a random key of its own and leaves those handed over on the key they went with', async () => {
    const temp = makeTempDir('sportello-send-key-migration-');
    cleanups.push(() => temp.remove());
    const db = new Kysely<InboxDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(temp.dir, DATABASE_FILE)) }) });
    cleanups.push(() => db.destroy());
    const migrate = (migrations: typeof MIGRATIONS) => new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateToLatest();
    expect((await migrate(BEFORE_0034)).error).toBeUndefined();
    const agent = await db
      .insertInto('agents')
      .values({ username: 'anna', display_name: 'Anna', roles: 'agent', status: 'active', created_by: 'cli:it', created_at: 1, updated_at: 1 } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('business_numbers')
      .values({ phone_number_id: NUMBER, display_name: 'Support', health_state: 'no_token', created_at: 1, updated_at: 1 })
      .execute();
    const contact = await db.insertInto('contacts').values(contactRow('393470000001')).returning('id').executeTakeFirstOrThrow();
    const conversation = await db
      .insertInto('conversations')
      .values({
        contact_id: contact.id,
        business_phone_number_id: NUMBER,
        last_inbound_at: 1,
        last_message_at: 1,
        last_message_id: null,
        assigned_agent_id: agent.id,
        created_at: 1,
        updated_at: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids: Record<string, number> = {};
    for (const state of ['pending', 'sending', 'sent', 'other-pending'] as const) {
      // Before 0034 a scheduled message had no send_key column, which today's types name.
      const row = await db
        .insertInto('scheduled_messages')
        .values({
          conversation_id: conversation.id,
          agent_id: agent.id,
          content_json: JSON.stringify({ kind: 'text', text: 'A domani' }),
          fallback_json: null,
          send_at: 2,
          time_zone: 'Europe/Rome',
          state: state === 'other-pending' ? 'pending' : state,
          reason: null,
          message_id: null,
          idempotency_key: `${agent.id}:${crypto.randomUUID()}`,
          request_hash: 'before-0034',
          created_at: 1,
          updated_at: 1,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[state] = row.id;
    }

    expect((await migrate(MIGRATIONS)).error).toBeUndefined();
    const rows = await db.selectFrom('scheduled_messages').select(['id', 'state', 'send_key']).orderBy('id').execute();
    const keyOf = (state: string) => rows.find((row) => row.id === ids[state]);
    expect(keyOf('pending')?.send_key).toMatch(/^scheduled:[0-9a-f-]{36}$/);
    expect(keyOf('other-pending')?.send_key).toMatch(/^scheduled:[0-9a-f-]{36}$/);
    expect(keyOf('pending')?.send_key).not.toBe(keyOf('other-pending')?.send_key);
    expect([keyOf('sending')?.send_key, keyOf('sent')?.send_key]).toEqual([null, null]);
    const sending = keyOf('sending');
    expect(sending === undefined ? undefined : scheduledSendKey(sending)).toBe(`scheduled-${ids.sending}`);
  });
});
