/**
 * Migration 0035 on a SQLite store written before it: the analytics tables it backfills from the
 * existing conversations and messages hold exactly what the fold (server/analytics/analytics-fold.ts)
 * keeps when the same traffic is written after it (the same generated month, into a second store,
 * folded in small passes so that a conversation's messages are folded over several of them), row for row.
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { foldPass } from '../../server/analytics/analytics-fold.js';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { DATABASE_FILE, openDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { insertConversations, makeOrg, planTraffic } from '../helpers/analytics-data.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BEFORE_0035 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0035'));
const STARTS_AT = Date.parse('2026-03-02T00:00:00Z');
const TABLES = ['analytics_conversations', 'analytics_hourly', 'analytics_team_hourly', 'analytics_daily', 'analytics_template_hourly'] as const;

/** The same month of traffic (a seed), written into a store. */
async function writeTraffic(db: Kysely<InboxDatabase>): Promise<void> {
  const org = await makeOrg(db, { teams: 3, agents: 9, numbers: 2, seed: 34 }, STARTS_AT);
  await insertConversations(db, planTraffic({ seed: 34, startsAt: STARTS_AT, days: 30, conversations: 120, messages: 2400 }, org));
}

async function contents(db: Kysely<InboxDatabase>): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = (await db.selectFrom(table).selectAll().execute()) as unknown[];
    tables[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return tables;
}

describe('migration 0035 on SQLite', () => {
  it('backfills the facts and counts of the traffic already stored, as the fold keeps them', async () => {
    const before = makeTempDir();
    cleanups.push(() => before.remove());
    const old = new Kysely<InboxDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(before.dir, DATABASE_FILE)) }) });
    try {
      expect((await new Migrator({ db: old, provider: { getMigrations: () => Promise.resolve(BEFORE_0035) } }).migrateToLatest()).error).toBeUndefined();
      await writeTraffic(old);
    } finally {
      await old.destroy();
    }
    const migrated = await openDatabase(before.dir);
    cleanups.push(() => migrated.close());

    const after = makeTempDir();
    cleanups.push(() => after.remove());
    const fresh = await openDatabase(after.dir);
    cleanups.push(() => fresh.close());
    await writeTraffic(fresh.db);
    // Before the fold nothing is counted; the fold takes everything pending, 97 rows a pass.
    expect(await fresh.db.selectFrom('analytics_hourly').selectAll().execute()).toEqual([]);
    let passes = 0;
    while ((await foldPass(fresh.db, STARTS_AT, 97)) > 0) passes += 1;
    expect(passes).toBeGreaterThan(10);
    expect(await fresh.db.selectFrom('analytics_pending').selectAll().execute()).toEqual([]);
    // The migrated store has nothing pending: the backfill counted it.
    expect(await migrated.db.selectFrom('analytics_pending').selectAll().execute()).toEqual([]);

    const backfilled = await contents(migrated.db);
    const kept = await contents(fresh.db);
    // There was something to backfill: every conversation, with answers, resolutions and templates.
    expect(backfilled.analytics_conversations).toHaveLength(120);
    expect((backfilled.analytics_template_hourly ?? []).length).toBeGreaterThan(0);
    expect(backfilled).toEqual(kept);
  });
});
