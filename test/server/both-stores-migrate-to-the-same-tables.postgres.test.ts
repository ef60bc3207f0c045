/**
 * Every migration runs on both stores and leaves the same tables with the same columns, each as
 * of the same type and as nullable on one as on the other: a migration written for one dialect only (or a branch of one
 * that forgot a column) shows here. The one intended difference is the event feed's insertion
 * key, `events.id`, which only PostgreSQL has (docs/store.md).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { postgresUrlFor } from '../helpers/test-store.js';

const opened: OpenedDatabase[] = [];
const temps: Array<{ remove: () => void }> = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const temp of temps.splice(0)) temp.remove();
});

const ONLY_ON_POSTGRES = new Set(['events.id']);

/** PostgreSQL's name of each type the migrations declare (SQLite keeps the declared name). */
const POSTGRES_TYPE: Readonly<Record<string, string>> = { integer: 'int4', bigint: 'int8', text: 'text' };

async function columns(db: Kysely<InboxDatabase>): Promise<Map<string, boolean>> {
  const tables = await db.introspection.getTables();
  const found = new Map<string, boolean>();
  for (const table of tables) {
    if (table.name.startsWith('kysely_')) continue;
    for (const column of table.columns) found.set(`${table.name}.${column.name}`, column.isNullable);
  }
  return found;
}

async function types(db: Kysely<InboxDatabase>, dialect: 'sqlite' | 'postgres'): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const table of await db.introspection.getTables()) {
    if (table.name.startsWith('kysely_')) continue;
    for (const column of table.columns) {
      const type = column.dataType.toLowerCase();
      found.set(`${table.name}.${column.name}`, dialect === 'sqlite' ? (POSTGRES_TYPE[type] ?? `sqlite:${type}`) : type);
    }
  }
  return found;
}

async function primaryKeyColumns(sqlite: Kysely<InboxDatabase>, tables: readonly string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const table of tables) {
    const rows = await sql<{ name: string }>`select name from pragma_table_info(${table}) where pk > 0`.execute(sqlite);
    for (const row of rows.rows) keys.add(`${table}.${row.name}`);
  }
  return keys;
}

describe('the two stores after every migration', () => {
  it('have the same tables and columns, of the same types and nullable alike, but for the feed insertion key', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    const sqlite = await openDatabase(temp.dir);
    opened.push(sqlite);
    const postgres = await openDatabase(temp.dir, await postgresUrlFor(temp.dir));
    opened.push(postgres);
    expect([sqlite.dialect, postgres.dialect]).toEqual(['sqlite', 'postgres']);

    const onSqlite = await columns(sqlite.db);
    const onPostgres = await columns(postgres.db);
    expect(onSqlite.size).toBeGreaterThan(100);
    expect([...onPostgres.keys()].filter((name) => !onSqlite.has(name))).toEqual([...ONLY_ON_POSTGRES]);
    expect([...onSqlite.keys()].filter((name) => !onPostgres.has(name))).toEqual([]);
    // SQLite lets a primary key other than INTEGER PRIMARY KEY hold NULL (its documented quirk); PostgreSQL does not.
    const keys = await primaryKeyColumns(sqlite.db, [...new Set([...onSqlite.keys()].map((name) => name.split('.')[0] ?? ''))]);
    const differing = [...onSqlite].filter(([name, nullable]) => onPostgres.get(name) !== nullable && !keys.has(name));
    expect(differing).toEqual([]);
    // Times and sizes bigint, ids and flags integer, the rest text, alike on both.
    const postgresTypes = await types(postgres.db, 'postgres');
    // `events.seq` is SQLite's INTEGER PRIMARY KEY (64-bit there), a bigint on PostgreSQL.
    const otherType = [...(await types(sqlite.db, 'sqlite'))].filter(([name, type]) => postgresTypes.get(name) !== type && name !== 'events.seq');
    expect(otherType).toEqual([]);
  });
});
