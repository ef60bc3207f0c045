/**
 * How the group committer fills and runs a batch: replayable works share a transaction with no
 * savepoints and are replayed, one savepoint each, when one of them fails; ordinary works never
 * run twice; and a batch waits while the event loop keeps bringing more work, but not for ever.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../server/store/group-commit.js';
import type { StoreWork } from '../../server/store/group-commit.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import { contactRow, freshStores } from '../helpers/fresh-store.js';

const fresh = freshStores();

const insert =
  (waId: string): StoreWork<number> =>
  async (trx) =>
    (await trx.insertInto('contacts').values(contactRow(waId)).returning('id').executeTakeFirstOrThrow()).id;

/**
 * Submits one work in each of the next turns of the event loop, as requests read from sockets
 * would come; resolves once the last one is submitted.
 */
function submitInTurns(committer: GroupCommitter, names: readonly string[], submitted: Array<Promise<number>>): Promise<void> {
  const [name, ...later] = names;
  if (name === undefined) return Promise.resolve();
  return new Promise((resolve) =>
    setImmediate(() => {
      submitted.push(committer.submit(insert(name), { replayable: true }));
      resolve(submitInTurns(committer, later, submitted));
    }),
  );
}

async function storedNumbers(store: OpenedDatabase): Promise<Array<string | null>> {
  return (await store.db.selectFrom('contacts').select('wa_id').orderBy('wa_id').execute()).map((row) => row.wa_id);
}

describe('group commit batching', () => {
  it('commits a batch of replayable works together, each caller getting its own result', async () => {
    const store = await fresh();
    const batches: number[] = [];
    const committer = new GroupCommitter(store.db, { onBatchCommitted: (size) => batches.push(size) });
    const ids = await Promise.all(['1', '2', '3'].map((n) => committer.submit(insert(n), { replayable: true })));
    expect(batches).toEqual([3]);
    const rows = await store.db.selectFrom('contacts').select(['id', 'wa_id']).orderBy('wa_id').execute();
    expect(rows.map((row) => row.id)).toEqual(ids);
  });

  it('when a replayable work fails, rolls back that one alone; the others commit', async () => {
    const store = await fresh();
    const runs = new Map<string, number>();
    const counted =
      (name: string, work: StoreWork<number>): StoreWork<number> =>
      (trx) => {
        runs.set(name, (runs.get(name) ?? 0) + 1);
        return work(trx);
      };
    const committer = new GroupCommitter(store.db);
    const results = await Promise.allSettled([
      committer.submit(counted('a', insert('1')), { replayable: true }),
      committer.submit(
        counted('b', async (trx) => {
          await insert('2')(trx);
          throw new Error('this work fails after writing');
        }),
        { replayable: true },
      ),
      committer.submit(counted('c', insert('1')), { replayable: true }), // unique violation
      committer.submit(counted('d', insert('3')), { replayable: true }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: new Error('this work fails after writing') });
    expect(await storedNumbers(store)).toEqual(['1', '3']);
    // Replayed once after the failure: d had not run yet when b failed.
    expect(Object.fromEntries(runs)).toEqual({ a: 2, b: 2, c: 1, d: 1 });
  });

  it('never runs an ordinary work twice, even in a batch where a replayable one fails', async () => {
    const store = await fresh();
    let ordinaryRuns = 0;
    const committer = new GroupCommitter(store.db);
    const results = await Promise.allSettled([
      committer.submit(insert('1'), { replayable: true }),
      committer.submit((trx) => {
        ordinaryRuns += 1;
        return insert('2')(trx);
      }),
      committer.submit(insert('1'), { replayable: true }), // unique violation
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(ordinaryRuns).toBe(1);
    expect(await storedNumbers(store)).toEqual(['1', '2']);
  });

  it('waits while each turn of the event loop brings more work, so late arrivals share the commit', async () => {
    const store = await fresh();
    const batches: number[] = [];
    const committer = new GroupCommitter(store.db, { onBatchCommitted: (size) => batches.push(size) });
    const submitted: Array<Promise<number>> = [];
    const allSubmitted = submitInTurns(committer, ['2', '3', '4'], submitted);
    submitted.push(committer.submit(insert('1'), { replayable: true }));
    await allSubmitted;
    await Promise.all(submitted);
    expect(batches).toEqual([4]);
  });

  it('does not hold a batch back for ever while work keeps coming', async () => {
    const store = await fresh();
    const batches: number[] = [];
    const committer = new GroupCommitter(store.db, { onBatchCommitted: (size) => batches.push(size) });
    const submitted: Array<Promise<number>> = [];
    const names = Array.from({ length: 40 }, (_, i) => String(i));
    const allSubmitted = submitInTurns(committer, names.slice(1), submitted);
    submitted.push(committer.submit(insert(names[0]!), { replayable: true }));
    // Every work is submitted, and every caller answered: nothing is left to commit.
    await allSubmitted;
    await Promise.all(submitted);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(40);
    expect((await storedNumbers(store)).length).toBe(40);
  });
});
