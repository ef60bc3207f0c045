/**
 * One prepared query, run in one process on a SQLite store and on a PostgreSQL one, sends each
 * the SQL of its own dialect (`?` to SQLite, `$1` to PostgreSQL) with the same values: the
 * compiled text is kept per dialect and picked by the database it runs on, so a query compiled
 * first for one store never reaches the other (server/store/prepared-query.ts).
 */
import { Kysely } from 'kysely';
import type { LogEvent } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import { postgresPool } from '../../server/store/open-postgres.js';
import { prepareQuery } from '../../server/store/prepared-query.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { postgresStoreDialect } from '../../server/store/sql-dialect.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { postgresUrlFor } from '../helpers/test-store.js';

const closing: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

const contactByNumber = prepareQuery((db, v: { waId: string }) => db.selectFrom('contacts').select(['id', 'wa_id']).where('wa_id', '=', v.waId));

describe('a prepared query on both stores in one process', () => {
  it('sends each store its own dialect, with the same values', async () => {
    const temp = makeTempDir();
    closing.push(() => temp.remove());
    const sqlite: OpenedDatabase = await openDatabase(temp.dir);
    closing.push(() => sqlite.close());
    const url = await postgresUrlFor(temp.dir);
    const migrated = await openDatabase(temp.dir, url);
    await migrated.close();
    const seen: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    const postgres = new Kysely<InboxDatabase>({
      dialect: postgresStoreDialect(postgresPool(url)),
      log: (event: LogEvent) => {
        seen.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    closing.push(() => postgres.destroy());

    for (const db of [sqlite.db, postgres]) {
      await db.insertInto('contacts').values({ wa_id: '393331234567', created_at: 1, updated_at: 1 }).execute();
    }
    // SQLite first, so the query is compiled for SQLite before PostgreSQL ever sees it.
    expect(await contactByNumber.first(sqlite.db, { waId: '393331234567' })).toMatchObject({ wa_id: '393331234567' });
    expect(await contactByNumber.first(postgres, { waId: '393331234567' })).toMatchObject({ wa_id: '393331234567' });
    const sent = seen.filter((query) => query.sql.includes('"wa_id" ='));
    expect(sent).toEqual([{ sql: expect.stringContaining('"wa_id" = $1') as unknown, parameters: ['393331234567'] }]);
    expect(sent[0]?.sql).not.toContain('?');
  });
});
