/**
 * The store's SQL dialect, in one place: the open database and the compile-only instance that
 * prepared queries are compiled with must speak the same one. PostgreSQL replaces this file.
 */
import { CompiledQuery, DummyDriver, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { DatabaseConnection, Dialect, Driver, SqliteDatabase } from 'kysely';
import type { InboxDatabase } from './schema.js';

/**
 * Transactions take the write lock when they begin (BEGIN IMMEDIATE). With SQLite's default
 * deferred BEGIN, a transaction that reads and then writes fails at once with SQLITE_BUSY when
 * another process (the admin CLI, the server) committed in between; taking the lock up front lets
 * the busy timeout queue the writers instead.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class StoreSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver({ database: this.#database });
  }
}

export function storeDialect(database: SqliteDatabase): Dialect {
  return new StoreSqliteDialect(database);
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
