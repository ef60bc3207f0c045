/**
 * Migration 0012 on a store written before several numbers existed: every conversation keeps the
 * number it was received on, which becomes a configured number without a token; the next start
 * with the WHATSAPP_* settings seals that number's token (the first number) and it answers its
 * old conversations. A token the old store had marked refused, by its fingerprint, stays refused.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { seedNumbers } from '../../server/numbers/seed-numbers.js';
import { ServerKey } from '../../server/secrets/server-key.js';
import { GroupCommitter } from '../../server/store/group-commit.js';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { DATABASE_FILE } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { contactRow } from '../helpers/fresh-store.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BEFORE_0012 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0012'));
const SANDBOX_FIRST_NUMBER = '100000000000001';
const RETIRED_NUMBER = '100000000000555';

async function oldStore(dir: string, conversationsOn: readonly string[], refusedToken?: string): Promise<void> {
  const old = new Kysely<InboxDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(dir, DATABASE_FILE)) }) });
  try {
    const migrated = await new Migrator({ db: old, provider: { getMigrations: () => Promise.resolve(BEFORE_0012) } }).migrateToLatest();
    expect(migrated.error).toBeUndefined();
    for (const [index, number] of conversationsOn.entries()) {
      const contact = await old
        .insertInto('contacts')
        .values(contactRow(`3934700000${index}`))
        .returning('id')
        .executeTakeFirstOrThrow();
      await old
        .insertInto('conversations')
        .values({
          contact_id: contact.id,
          business_phone_number_id: number,
          last_inbound_at: Date.now(),
          last_message_at: null,
          last_message_id: null,
          created_at: 1,
          updated_at: 1,
        })
        .execute();
    }
    if (refusedToken !== undefined) {
      await old
        .insertInto('channel_state')
        .values({
          phone_number_id: SANDBOX_FIRST_NUMBER,
          state: 'needs_reauthorization',
          error_code: 'meta_190',
          reason: 'Meta refused the access token.',
          token_fingerprint: crypto.createHash('sha256').update(refusedToken).digest('hex').slice(0, 16),
          updated_at: 1,
        })
        .execute();
    }
  } finally {
    await old.destroy();
  }
}

describe('migration 0012: business numbers', () => {
  it('gives every existing conversation its number, and the first start seals that number’s token', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    await oldStore(temp.dir, [SANDBOX_FIRST_NUMBER, SANDBOX_FIRST_NUMBER, RETIRED_NUMBER]);

    const t: TestServer = await startTestServer({ dataDir: temp.dir });
    cleanups.push(() => t.close());
    const db = t.server.database.db;
    const numbers = await db.selectFrom('business_numbers').selectAll().execute();
    const first = numbers.find((row) => row.phone_number_id === SANDBOX_FIRST_NUMBER);
    const retired = numbers.find((row) => row.phone_number_id === RETIRED_NUMBER);
    expect(first).toMatchObject({ from_environment: 1, health_state: 'ok', display_name: 'Sportello Support' });
    expect(first?.access_token_sealed).toMatch(/^v1\./);
    expect(first?.access_token_sealed).not.toContain(t.sandbox.channel.accessToken);
    // Nobody gave the retired number a token: it stays, unable to send, until an admin does.
    expect(retired).toMatchObject({ from_environment: 0, health_state: 'no_token', access_token_sealed: null });
    const orphans = await db
      .selectFrom('conversations')
      .leftJoin('business_numbers', 'business_numbers.phone_number_id', 'conversations.business_phone_number_id')
      .select('conversations.id')
      .where('business_numbers.id', 'is', null)
      .execute();
    expect(orphans).toEqual([]);

    // The first number answers its old conversations.
    const conversation = await db
      .selectFrom('conversations')
      .select('id')
      .where('business_phone_number_id', '=', SANDBOX_FIRST_NUMBER)
      .executeTakeFirstOrThrow();
    const sent = await t.server.sendService.send({
      kind: 'template',
      idempotencyKey: crypto.randomUUID(),
      conversationId: conversation.id,
      name: 'hello_world',
      languageCode: 'en_US',
    });
    await t.server.dispatcher.settled();
    expect((await db.selectFrom('messages').select('status').where('id', '=', sent.messageId).executeTakeFirstOrThrow()).status).toBe('accepted');
    await expect(
      t.server.sendService.send({
        kind: 'text',
        idempotencyKey: crypto.randomUUID(),
        conversationId: (await db.selectFrom('conversations').select('id').where('business_phone_number_id', '=', RETIRED_NUMBER).executeTakeFirstOrThrow()).id,
        text: 'No token',
      }),
    ).rejects.toMatchObject({ code: 'channel_needs_reauthorization' });
  });

  it('keeps a token the old store had seen refused refused, by its fingerprint', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const token = `SANDBOX-${crypto.randomBytes(8).toString('hex')}`;
    await oldStore(temp.dir, [SANDBOX_FIRST_NUMBER], token);
    const db = new Kysely<InboxDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(temp.dir, DATABASE_FILE)) }) });
    try {
      await new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) } }).migrateToLatest();
      const key = new ServerKey(crypto.randomBytes(32));
      await seedNumbers(new GroupCommitter(db), key, [{ phoneNumberId: SANDBOX_FIRST_NUMBER, accessToken: token }], Date.now());
      const row = await db.selectFrom('business_numbers').selectAll().where('phone_number_id', '=', SANDBOX_FIRST_NUMBER).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ health_state: 'needs_reauthorization', health_error_code: 'meta_190' });
      await seedNumbers(new GroupCommitter(db), key, [{ phoneNumberId: SANDBOX_FIRST_NUMBER, accessToken: `${token}-renewed` }], Date.now());
      const renewed = await db.selectFrom('business_numbers').selectAll().where('phone_number_id', '=', SANDBOX_FIRST_NUMBER).executeTakeFirstOrThrow();
      expect(renewed.health_state).toBe('ok');
    } finally {
      await db.destroy();
    }
  });
});
