/**
 * The event feed's order with several writers (docs/store.md, "The test that proves it"): writers
 * on separate connections (as replicas and the admin CLI would be; some through a GroupCommitter)
 * insert and update messages so the real triggers write the events, with waits between statements
 * so that transactions overlap and commit out of the order they inserted; some roll back. Stamping
 * passes run after commits and at random moments, from two sequencers at once. Readers read
 * `seq > cursor ORDER BY seq LIMIT n` meanwhile, stopping and resuming from their last seq or an
 * older one. Every reading session must get, with none twice, exactly the committed events above
 * its start up to the last it got, and the last session everything committed.
 *
 * On PostgreSQL the control reads by the insertion key instead (what a seq taken at insert would
 * be): fast-check must find a schedule where a reader skips an event. On SQLite (one write lock)
 * the property holds with no stamping at all.
 */
import fc from 'fast-check';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedSequencer } from '../../server/store/feed-sequencer.js';
import { PostgresFeedSequencer } from '../../server/store/feed-sequencer.js';
import { GroupCommitter } from '../../server/store/group-commit.js';
import { openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { contactRow } from '../helpers/fresh-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE, testDatabaseUrl } from '../helpers/test-store.js';

const CONVERSATIONS = 3;

interface Statement {
  readonly op: 'insert' | 'status';
  readonly conversation: number;
  readonly waitMs: number;
}
interface WriterTransaction {
  readonly statements: readonly Statement[];
  readonly waitBeforeCommitMs: number;
  readonly rollsBack: boolean;
}
interface Writer {
  readonly viaCommitter: boolean;
  readonly transactions: readonly WriterTransaction[];
}
interface Reader {
  readonly limit: number;
  readonly sessions: ReadonlyArray<{ readonly reads: number; readonly resumeFrom: 'last' | 'older'; readonly waitMs: number }>;
}
interface Schedule {
  readonly writers: readonly Writer[];
  readonly readers: readonly Reader[];
  readonly stampsAtMs: readonly number[];
}

const statement = fc.record({
  op: fc.constantFrom('insert', 'insert', 'status'),
  conversation: fc.nat(CONVERSATIONS - 1),
  waitMs: fc.nat(4),
}) as fc.Arbitrary<Statement>;
const schedule: fc.Arbitrary<Schedule> = fc.record({
  writers: fc.array(
    fc.record({
      viaCommitter: fc.boolean(),
      transactions: fc.array(
        fc.record({
          statements: fc.array(statement, { minLength: 1, maxLength: 4 }),
          waitBeforeCommitMs: fc.nat(8),
          rollsBack: fc.constantFrom(false, false, false, true),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
    { minLength: 2, maxLength: 4 },
  ),
  readers: fc.array(
    fc.record({
      limit: fc.integer({ min: 1, max: 4 }),
      sessions: fc.array(fc.record({ reads: fc.integer({ min: 1, max: 12 }), resumeFrom: fc.constantFrom('last', 'older'), waitMs: fc.nat(3) }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  stampsAtMs: fc.array(fc.nat(40), { maxLength: 5 }),
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface FeedRow {
  readonly seq: number;
  readonly messageId: number | null;
}

/** The feed as readers see it (`byInsertionKey`: the control, a position taken at insert). */
async function readAfter(db: Kysely<InboxDatabase>, after: number, limit: number, byInsertionKey: boolean): Promise<FeedRow[]> {
  const position = sql.ref(byInsertionKey ? 'id' : 'seq');
  const rows = await sql<{ seq: number; message_id: number | null }>`
    select ${position} as seq, message_id from events where ${position} > ${after} order by ${position} limit ${limit}`.execute(db);
  return rows.rows.map((row) => ({ seq: Number(row.seq), messageId: row.message_id }));
}

let counter = 0;
function messageRow(conversationId: number) {
  counter += 1;
  return {
    wamid: `wamid.order-${process.pid}-${counter}`,
    conversation_id: conversationId,
    direction: 'inbound' as const,
    origin: 'customer' as const,
    type: 'text',
    content_json: '{"body":"x"}',
    meta_json: null,
    context_wamid: null,
    amends_wamid: null,
    media_id: null,
    sent_at: counter,
    received_at: counter,
    status: 'received',
    status_rank: 0,
    status_at: null,
    error_code: null,
    error_title: null,
    error_reason: null,
    idempotency_key: null,
    request_hash: null,
    next_attempt_at: null,
    edited_at: null,
    deleted_at: null,
    raw_json: null,
  };
}

class RolledBack extends Error {}

/** One transaction's statements; answers the messages it inserted. Throws RolledBack when it is to roll back. */
async function runTransaction(trx: Kysely<InboxDatabase>, conversations: readonly number[], transaction: WriterTransaction): Promise<number[]> {
  const inserted: number[] = [];
  for (const step of transaction.statements) {
    const conversationId = conversations[step.conversation] ?? 0;
    const mine = inserted[inserted.length - 1];
    if (step.op === 'status' && mine !== undefined) {
      await trx
        .updateTable('messages')
        .set({ status: `read-${counter++}` })
        .where('id', '=', mine)
        .execute();
    } else {
      const row = await trx.insertInto('messages').values(messageRow(conversationId)).returning('id').executeTakeFirstOrThrow();
      inserted.push(row.id);
    }
    await wait(step.waitMs);
  }
  await wait(transaction.waitBeforeCommitMs);
  if (transaction.rollsBack) throw new RolledBack();
  return inserted;
}

interface Run {
  readonly committed: Set<number>;
  readonly sessions: Array<{ start: number; got: FeedRow[]; toTheEnd: boolean }>;
  readonly final: FeedRow[];
  readonly unstamped: number;
}

async function runSchedule(store: OpenedDatabase, plan: Schedule, byInsertionKey: boolean): Promise<Run> {
  const { db } = store;
  const conversations: number[] = [];
  for (let i = 0; i < CONVERSATIONS; i += 1) conversations.push(await conversationOf(db));
  // Two replicas' sequencers: their passes queue on the advisory lock.
  const sequencers: FeedSequencer[] = store.dialect === 'postgres' ? [new PostgresFeedSequencer(db), new PostgresFeedSequencer(db)] : [store.feedSequencer];
  const stamp = (i: number) => (byInsertionKey ? Promise.resolve(0) : (sequencers[i % sequencers.length] as FeedSequencer).stamp());
  await stamp(0);
  const base = (await readAfter(db, 0, 1_000_000, byInsertionKey)).reduce((last, row) => Math.max(last, row.seq), 0);
  const committed = new Set<number>();
  let writing = true;
  let release = () => undefined as void;
  const finished = new Promise<void>((resolve) => (release = resolve));

  const writers = plan.writers.map(async (writer, w) => {
    const committer = writer.viaCommitter ? new GroupCommitter(db) : undefined;
    const pending: Array<Promise<unknown>> = [];
    for (const transaction of writer.transactions) {
      const outcome =
        committer === undefined
          ? db.transaction().execute((trx) => runTransaction(trx, conversations, transaction))
          : committer.submit((trx) => runTransaction(trx, conversations, transaction), { replayable: true });
      const settled = outcome.then(
        (ids) => {
          for (const id of ids) committed.add(id);
          void stamp(w);
        },
        (error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        },
      );
      // Through a committer several of the writer's works may share a transaction; directly, one after another.
      if (committer === undefined) await settled;
      else pending.push(settled);
    }
    await Promise.all(pending);
  });
  const stampers = plan.stampsAtMs.map(async (at, i) => {
    await wait(at);
    await stamp(i + 1);
  });

  const sessions: Run['sessions'] = [];
  const readers = plan.readers.map(async (reader) => {
    let cursor = base;
    const seen: number[] = [];
    for (const [index, session] of reader.sessions.entries()) {
      const older = seen.length === 0 ? base : (seen[Math.floor(seen.length / 2)] ?? base);
      const start = session.resumeFrom === 'older' ? older : cursor;
      const record = { start, got: [] as FeedRow[], toTheEnd: index === reader.sessions.length - 1 };
      sessions.push(record);
      cursor = start;
      const read = async () => {
        const rows = await readAfter(db, cursor, reader.limit, byInsertionKey);
        for (const row of rows) {
          record.got.push(row);
          seen.push(row.seq);
          cursor = row.seq;
        }
        return rows.length;
      };
      for (let i = 0; i < session.reads; i += 1) {
        await read();
        await wait(session.waitMs);
      }
      if (record.toTheEnd) {
        while (writing) {
          await read();
          await wait(session.waitMs + 1);
        }
        await finished;
        while ((await read()) > 0);
      }
    }
  });

  await Promise.all([...writers, ...stampers]);
  writing = false;
  await stamp(0);
  release();
  await Promise.all(readers);

  const final = (await readAfter(db, base, 1_000_000, byInsertionKey)).filter((row) => row.seq > base);
  const unstamped = Number((await sql<{ n: number }>`select count(*) as n from events where seq is null`.execute(db)).rows[0]?.n ?? 0);
  return { committed, sessions, final, unstamped };
}

/** The property: each session got exactly the committed events above its start, up to its last (to the end for the last session). */
function orderHolds(run: Run): boolean {
  if (run.unstamped !== 0) return false;
  if (run.final.some((row) => row.messageId !== null && !run.committed.has(row.messageId))) return false;
  for (const session of run.sessions) {
    const seqs = session.got.map((row) => row.seq);
    if (seqs.some((seq, i) => i > 0 && seq <= (seqs[i - 1] ?? 0))) return false;
    const upTo = session.toTheEnd ? Infinity : (seqs[seqs.length - 1] ?? session.start);
    const expected = run.final.filter((row) => row.seq > session.start && row.seq <= upTo).map((row) => row.seq);
    if (expected.length !== seqs.length || expected.some((seq, i) => seq !== seqs[i])) return false;
  }
  return true;
}

/** A conversation to write into (its contact first). */
async function conversationOf(db: Kysely<InboxDatabase>): Promise<number> {
  const contact = await db
    .insertInto('contacts')
    .values(contactRow(`39${process.pid}${counter++}`))
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('conversations')
    .values({
      contact_id: contact.id,
      business_phone_number_id: `10${counter++}`,
      last_inbound_at: null,
      last_message_at: null,
      last_message_id: null,
      created_at: 1,
      updated_at: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const opened: Array<{ store: OpenedDatabase; remove: () => void; dir: string }> = [];
const writerDir = (store: OpenedDatabase) => opened.find((entry) => entry.store === store)?.dir ?? '';
afterEach(async () => {
  for (const { store, remove } of opened.splice(0)) {
    await store.close();
    remove();
  }
});

async function freshStore(): Promise<OpenedDatabase> {
  const temp = makeTempDir();
  const store = await openDatabase(temp.dir, await testDatabaseUrl(temp.dir));
  opened.push({ store, remove: temp.remove, dir: temp.dir });
  return store;
}

describe(`the event feed's order with concurrent writers (${TEST_STORE})`, () => {
  it('gives every reader each committed event once, none missed, whatever the writers, rollbacks and resumptions', async () => {
    const store = await freshStore();
    await fc.assert(
      fc.asyncProperty(schedule, async (plan) => orderHolds(await runSchedule(store, plan, false))),
      { numRuns: TEST_STORE === 'postgres' ? 40 : 25 },
    );
  }, 120_000);

  // A replica killed between its commit and its pass: its connection is cut; another pass numbers its events.
  if (TEST_STORE === 'postgres')
    it('numbers the events of a writer whose connection was terminated after its commit, at the next pass of anyone', async () => {
      const store = await freshStore();
      const conversation = await conversationOf(store.db);
      const writer = new pg.Client({ connectionString: await testDatabaseUrl(writerDir(store)) });
      await writer.connect();
      writer.on('error', () => undefined);
      const { rows } = await writer.query<{ pid: number }>('select pg_backend_pid() as pid');
      await writer.query('begin');
      const row = messageRow(conversation);
      await writer.query(
        `insert into messages (wamid, conversation_id, direction, origin, type, content_json, sent_at, received_at, status, status_rank)
         values ($1, $2, 'inbound', 'customer', 'text', '{}', 1, 1, 'received', 0)`,
        [row.wamid, conversation],
      );
      await writer.query('commit');
      await sql`select pg_terminate_backend(${rows[0]?.pid ?? 0})`.execute(store.db);
      await writer.end().catch(() => undefined);
      expect(await readAfter(store.db, 0, 10, false)).toEqual([]);
      expect(await store.feedSequencer.stamp()).toBe(1);
      const delivered = await readAfter(store.db, 0, 10, false);
      expect(delivered).toHaveLength(1);
    });

  // SQLite has no insertion key apart from seq: the control is PostgreSQL's.
  if (TEST_STORE === 'postgres')
    it('control: a position taken at insert lets a reader skip an event, and fast-check finds such a schedule', async () => {
      const store = await freshStore();
      const outcome = await fc.check(
        fc.asyncProperty(schedule, async (plan) => orderHolds(await runSchedule(store, plan, true))),
        { numRuns: 200, endOnFailure: true },
      );
      expect(outcome.failed).toBe(true);
    }, 120_000);
});
