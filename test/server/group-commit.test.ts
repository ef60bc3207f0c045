/**
 * Group commit: concurrent work shares one durable transaction, a failing work is rolled back
 * alone, and nobody hears "done" before the commit.
 */
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../server/store/group-commit.js';
import { DATABASE_FILE, openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import { contactRow } from '../helpers/fresh-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let opened: OpenedDatabase | undefined;
let remove: (() => void) | undefined;
afterEach(async () => {
  await opened?.close();
  remove?.();
  opened = undefined;
});

async function fresh(): Promise<{ store: OpenedDatabase; dir: string }> {
  const temp = makeTempDir();
  remove = temp.remove;
  opened = await openDatabase(temp.dir);
  return { store: opened, dir: temp.dir };
}

describe('group commit', () => {
  it('runs concurrent works in shared transactions and answers each only after the commit', async () => {
    const { store, dir } = await fresh();
    const batches: number[] = [];
    const committer = new GroupCommitter(store.db, { onBatchCommitted: (size) => batches.push(size) });
    const reader = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    const visibleWhenAnswered: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        committer
          .submit((trx) =>
            trx
              .insertInto('contacts')
              .values(contactRow(`39${i}`))
              .returning('id')
              .executeTakeFirstOrThrow(),
          )
          .then(() => {
            // Another connection sees the row the moment its caller is answered: it is committed.
            const row = reader.prepare('select count(*) as n from contacts where wa_id = ?').get(`39${i}`) as { n: number };
            visibleWhenAnswered.push(row.n);
          }),
      ),
    );
    reader.close();
    expect(visibleWhenAnswered).toEqual(Array.from({ length: 200 }, () => 1));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200);
    expect(batches.length).toBeLessThan(200);
    expect(Math.max(...batches)).toBeGreaterThan(1);
  });

  it('rolls back a failing work alone; the others in its transaction commit', async () => {
    const { store } = await fresh();
    const committer = new GroupCommitter(store.db);
    const results = await Promise.allSettled([
      committer.submit((trx) => trx.insertInto('contacts').values(contactRow('1')).execute()),
      committer.submit(async (trx) => {
        await trx.insertInto('contacts').values(contactRow('2')).execute();
        throw new Error('this work fails after writing');
      }),
      committer.submit((trx) => trx.insertInto('contacts').values(contactRow('1')).execute()), // unique violation
      committer.submit((trx) => trx.insertInto('contacts').values(contactRow('3')).execute()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const rows = await store.db.selectFrom('contacts').select('wa_id').orderBy('wa_id').execute();
    expect(rows.map((r) => r.wa_id)).toEqual(['1', '3']);
  });

  it('when the commit itself fails, fails every work of the batch and keeps none of them', async () => {
    const { store } = await fresh();
    // A deferred foreign key is only checked at COMMIT: the way to make a commit fail on demand.
    await sql`create table parent (id integer primary key)`.execute(store.db);
    await sql`create table child (id integer primary key, parent_id integer references parent(id) deferrable initially deferred)`.execute(store.db);
    const committer = new GroupCommitter(store.db);
    const results = await Promise.allSettled([
      committer.submit((trx) => trx.insertInto('contacts').values(contactRow('kept?')).execute()),
      committer.submit((trx) => sql`insert into child (id, parent_id) values (1, 42)`.execute(trx)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await store.db.selectFrom('contacts').selectAll().execute()).toEqual([]);
    // The store is usable afterwards.
    await committer.submit((trx) => trx.insertInto('contacts').values(contactRow('after')).execute());
    expect((await store.db.selectFrom('contacts').select('wa_id').execute()).map((r) => r.wa_id)).toEqual(['after']);
  });

  it('opens the store durably: WAL, synchronous=FULL, foreign keys on, migrations applied once', async () => {
    const { store, dir } = await fresh();
    const pragmas = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    expect(pragmas.rows[0]?.journal_mode).toBe('wal');
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous).toBe(2);
    expect((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db)).rows[0]?.foreign_keys).toBe(1);
    await store.close();
    opened = await openDatabase(dir);
    const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(opened.db);
    expect(migrations.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
  });

  it('refuses a data directory it cannot use with a clear error', async () => {
    const temp = makeTempDir();
    remove = temp.remove;
    const file = path.join(temp.dir, 'not-a-dir');
    (await import('node:fs')).writeFileSync(file, 'x');
    await expect(openDatabase(file)).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('SPORTELLO_DATA_DIR') });
  });
});
