/**
 * The store's SQL dialect, in one place: the open database and the compile-only instance that
 * prepared queries are compiled with must speak the same one. PostgreSQL replaces this file.
 */
import { DummyDriver, Kysely, SqliteAdapter, SqliteDialect, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { Dialect, SqliteDatabase } from 'kysely';
import type { InboxDatabase } from './schema.js';

export function storeDialect(database: SqliteDatabase): Dialect {
  return new SqliteDialect({ database });
}

/** Builds and compiles queries without a connection (Kysely's recipe for splitting building from running). */
export const compileOnlyDatabase = new Kysely<InboxDatabase>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
