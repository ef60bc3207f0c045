/**
 * The fold (server/analytics/analytics-fold.ts) run twice at once (on PostgreSQL from two pools on
 * one database, as two server processes would), while writers commit traffic in
 * overlapping transactions: every counted message is in the hourly, team-hourly, daily and
 * template counts exactly once, every conversation has its facts, nothing stays pending.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { foldPass } from '../../server/analytics/analytics-fold.js';
import { openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { customerMessage, outboundMessage } from '../../server/store/analytics-facts.js';
import { insertConversations, makeOrg, planTraffic } from '../helpers/analytics-data.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE, testDatabaseUrl } from '../helpers/test-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const STARTS_AT = Date.parse('2026-03-02T00:00:00Z');

/** The counts as they must be: the messages grouped by hour, team, holder or sender, and number. */
async function expectedHourly(db: Kysely<InboxDatabase>) {
  const agent = sql.raw(`coalesce(CASE WHEN m.direction = 'outbound' THEN m.sent_by_agent_id ELSE c.assigned_agent_id END, 0)`);
  const rows = await sql<
    Record<string, unknown>
  >`SELECT m.sent_at - m.sent_at % 3600000 AS hour_start, coalesce(c.team_id, 0) AS team_key, ${agent} AS agent_key,
      c.business_phone_number_id AS phone_number_id, sum(CASE WHEN ${sql.raw(customerMessage('m'))} THEN 1 ELSE 0 END) AS messages_in,
      sum(CASE WHEN ${sql.raw(outboundMessage('m'))} THEN 1 ELSE 0 END) AS messages_out
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE (${sql.raw(customerMessage('m'))}) OR (${sql.raw(outboundMessage('m'))})
    GROUP BY m.sent_at - m.sent_at % 3600000, coalesce(c.team_id, 0), ${agent}, c.business_phone_number_id`.execute(db);
  return normalised(rows.rows);
}

function normalised(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'string' && key !== 'phone_number_id' ? Number(value) : value])),
      ),
    )
    .sort();
}

let texts = 0;
function customerText(conversationId: number, tag: string) {
  texts += 1;
  const at = STARTS_AT + texts * 60_000;
  return {
    wamid: `wamid.fold-${tag}-${texts}`,
    conversation_id: conversationId,
    direction: 'inbound' as const,
    origin: 'customer' as const,
    type: 'text',
    content_json: '{"body":"x"}',
    sent_at: at,
    received_at: at,
    status: 'received',
    status_rank: 0,
  };
}

async function total(db: Kysely<InboxDatabase>, query: ReturnType<typeof sql<{ n: unknown }>>): Promise<number> {
  return Number((await query.execute(db)).rows[0]?.n ?? 0);
}

describe(`the analytics fold with two processes folding at once (${TEST_STORE})`, () => {
  it('counts every message once and leaves nothing pending, whatever the two folds take', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const url = await testDatabaseUrl(temp.dir);
    const first: OpenedDatabase = await openDatabase(temp.dir, url);
    cleanups.push(() => first.close());
    // PostgreSQL: a second pool, as another server process has. SQLite: the same handle (better-sqlite3 waits for a lock
    // synchronously, so two handles in one process would wait on each other); its folds still overlap the writers and each other.
    const second: OpenedDatabase = TEST_STORE === 'postgres' ? await openDatabase(temp.dir, url) : first;
    if (second !== first) cleanups.push(() => second.close());

    const org = await makeOrg(first.db, { teams: 3, agents: 9, numbers: 2, seed: 41 }, STARTS_AT);
    const plans = planTraffic({ seed: 41, startsAt: STARTS_AT, days: 7, conversations: 120, messages: 2400 }, org);
    let writing = true;
    const folds = [first.db, second.db].map(async (db, i) => {
      let folded = 0;
      while (writing) folded += await foldPass(db, STARTS_AT, 37 + i * 13);
      return folded;
    });
    // Writers on both stores (one after another: the generator numbers its customers from the contacts already there), the folds overlapping them.
    for (let i = 0; i < 12; i++) await insertConversations((i % 2 === 0 ? first : second).db, plans.slice(i * 10, i * 10 + 10));
    // A message committed after one with a higher id was folded: it still counts (no watermark on the id to skip it).
    const [early, late] = await first.db.selectFrom('conversations').select('id').orderBy('id').limit(2).execute();
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = first.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('messages')
        .values(customerText(early?.id ?? 0, 'slow'))
        .execute();
      await held;
    });
    let foldedBetween = 0;
    if (TEST_STORE === 'postgres') {
      await second.db
        .insertInto('messages')
        .values(customerText(late?.id ?? 0, 'quick'))
        .execute();
      foldedBetween = await foldPass(second.db, STARTS_AT);
      expect(foldedBetween).toBeGreaterThan(0);
    }
    release();
    await slow;
    writing = false;
    const foldedWhileWriting = (await Promise.all(folds)).reduce((sum, n) => sum + n, 0);
    let foldedAfter = 0;
    for (;;) {
      const n = (await foldPass(first.db, STARTS_AT)) + (await foldPass(second.db, STARTS_AT));
      if (n === 0) break;
      foldedAfter += n;
    }
    expect(foldedWhileWriting).toBeGreaterThan(0);

    const db = first.db;
    expect(await total(db, sql`SELECT count(*) AS n FROM analytics_pending`)).toBe(0);
    const hourly = normalised(
      await db.selectFrom('analytics_hourly').select(['hour_start', 'team_key', 'agent_key', 'phone_number_id', 'messages_in', 'messages_out']).execute(),
    );
    expect(hourly).toEqual(await expectedHourly(db));
    const counted = await total(db, sql`SELECT count(*) AS n FROM messages m WHERE (${sql.raw(customerMessage('m'))}) OR (${sql.raw(outboundMessage('m'))})`);
    expect(await total(db, sql`SELECT sum(messages_in + messages_out) AS n FROM analytics_team_hourly`)).toBe(counted);
    expect(await total(db, sql`SELECT sum(messages_in + messages_out) AS n FROM analytics_daily`)).toBe(counted);
    const templates = await total(db, sql`SELECT count(*) AS n FROM messages m WHERE ${sql.raw(outboundMessage('m'))} AND m.type = 'template'`);
    expect(templates).toBeGreaterThan(0);
    expect(await total(db, sql`SELECT sum(sends) AS n FROM analytics_template_hourly`)).toBe(templates);
    expect(await total(db, sql`SELECT count(*) AS n FROM analytics_conversations`)).toBe(plans.length);
    // What the rows say was folded: each pending row once.
    const folded = await total(db, sql`SELECT folded_rows AS n FROM analytics_fold WHERE id = 1`);
    expect(folded).toBe(foldedWhileWriting + foldedBetween + foldedAfter);
  }, 120_000);
});
