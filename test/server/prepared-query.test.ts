/**
 * Prepared queries: built and compiled once, run with new values each time, with the same
 * results as the query builder they come from. Each value reaches SQLite as a bound parameter,
 * never in the SQL text: seen in the statements SQLite receives, and refused at compile time.
 */
import crypto from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { prepareQuery, prepareQueryShapes } from '../../server/store/prepared-query.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { storeDialect } from '../../server/store/sql-dialect.js';
import { freshStores } from '../helpers/fresh-store.js';

const fresh = freshStores();

const insertContact = prepareQuery((db, v: { waId: string; name: string | null; now: number }) =>
  db
    .insertInto('contacts')
    .values({
      wa_id: v.waId,
      user_id: null,
      parent_user_id: null,
      profile_name: v.name,
      username: null,
      marketing_preference: null,
      marketing_preference_at: null,
      created_at: v.now,
      updated_at: v.now,
    })
    .onConflict((oc) => oc.column('wa_id').doNothing())
    .returning('id'),
);
const contactByWaId = prepareQuery((db, v: { waId: string }) => db.selectFrom('contacts').select(['id', 'profile_name']).where('wa_id', '=', v.waId));

describe('prepared queries', () => {
  it('run with the values of each call, constants kept, and return what the builder would', async () => {
    const { db } = await fresh();
    const first = await insertContact.firstOrThrow(db, { waId: '391', name: 'Anna', now: 1 });
    const second = await insertContact.firstOrThrow(db, { waId: '392', name: null, now: 2 });
    expect(second.id).toBeGreaterThan(first.id);
    // ON CONFLICT DO NOTHING: no row returned.
    expect(await insertContact.first(db, { waId: '391', name: 'Other', now: 3 })).toBeUndefined();

    expect(await contactByWaId.first(db, { waId: '391' })).toEqual({ id: first.id, profile_name: 'Anna' });
    expect(await contactByWaId.all(db, { waId: '392' })).toEqual(
      await db.selectFrom('contacts').select(['id', 'profile_name']).where('wa_id', '=', '392').execute(),
    );
    expect(await contactByWaId.first(db, { waId: 'nobody' })).toBeUndefined();
    await expect(contactByWaId.firstOrThrow(db, { waId: 'nobody' })).rejects.toThrow(/no row/);
  });

  it('never puts a value into the SQL text, even one that looks like SQL', async () => {
    const store = await fresh();
    // A second connection to the same store that records every statement as SQLite receives it.
    const seen: Array<{ sql: string; parameters: readonly unknown[] }> = [];
    const sqlite = new Database(store.file);
    const logged = new Kysely<InboxDatabase>({
      dialect: storeDialect(sqlite),
      log: (event) => {
        seen.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    try {
      const hostile = `x'); drop table contacts; --`;
      const sentinels = { waId: `${hostile} wa-${crypto.randomUUID()}`, name: `name-${crypto.randomUUID()}`, now: 1_234_567_890_123 };
      await insertContact.execute(logged, sentinels);
      expect(await contactByWaId.first(logged, { waId: sentinels.waId })).toMatchObject({ profile_name: sentinels.name });
      expect(seen).toHaveLength(2);
      for (const statement of seen) {
        for (const value of Object.values(sentinels)) expect(statement.sql).not.toContain(String(value));
      }
      expect(seen[0]?.parameters).toEqual(expect.arrayContaining([sentinels.waId, sentinels.name, sentinels.now]));
      expect(seen[1]?.parameters).toEqual([sentinels.waId]);
      expect(await logged.selectFrom('contacts').select('wa_id').execute()).toEqual([{ wa_id: sentinels.waId }]);
    } finally {
      await logged.destroy();
    }
  });

  it('refuses, when compiled, a value spliced into the SQL text even when it is also bound', async () => {
    const { db } = await fresh();
    const spliced = prepareQuery((q, v: { waId: string }) =>
      q
        .selectFrom('contacts')
        .select('id')
        .where('wa_id', '=', v.waId)
        .where(sql<boolean>`profile_name = ${sql.raw(`'${String(v.waId)}'`)}`),
    );
    await expect(spliced.execute(db, { waId: '391' })).rejects.toThrow(/waId was spliced into the SQL text/);
    const stringified = prepareQuery((q, v: { name: string }) =>
      q
        .selectFrom('contacts')
        .select(sql.raw<string>(JSON.stringify(v.name)).as('n'))
        .where('profile_name', '=', v.name),
    );
    await expect(stringified.execute(db, { name: 'Anna' })).rejects.toThrow(/name was spliced into the SQL text/);
  });

  it('refuses a missing value instead of silently changing the statement', async () => {
    const { db } = await fresh();
    await expect(insertContact.execute(db, { waId: '1', name: undefined as unknown as null, now: 1 })).rejects.toThrow(/no value for "name"/);
  });

  it('refuses, when compiled, a value that would not become a bound parameter', async () => {
    const { db } = await fresh();
    const inlined = prepareQuery((q, v: { column: string }) => q.selectFrom('contacts').select(sql.raw<string>(v.column).as('picked')));
    await expect(inlined.execute(db, { column: 'wa_id' })).rejects.toThrow(/did not become bound parameters/);
  });

  it('reports the rows an update changed, per shape of the query', async () => {
    const { db } = await fresh();
    const { id } = await insertContact.firstOrThrow(db, { waId: '5', name: 'Old', now: 1 });
    const rename = prepareQueryShapes(
      (withName: boolean) => (q, v: { id: number; name: string; now: number }) =>
        q
          .updateTable('contacts')
          .set({ updated_at: v.now, ...(withName ? { profile_name: v.name } : {}) })
          .where('id', '=', v.id),
    );
    expect(rename(true)).toBe(rename(true));
    expect(await rename(false).affected(db, { id, name: 'Ignored', now: 2 })).toBe(1n);
    expect(await contactByWaId.first(db, { waId: '5' })).toMatchObject({ profile_name: 'Old' });
    expect(await rename(true).affected(db, { id, name: 'New', now: 3 })).toBe(1n);
    expect(await rename(true).affected(db, { id: id + 100, name: 'New', now: 3 })).toBe(0n);
    expect(await contactByWaId.first(db, { waId: '5' })).toMatchObject({ profile_name: 'New' });
  });
});
