import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator } from 'kysely';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { CodedError } from '../../common/errors/coded-error.js';
import { MIGRATIONS } from './migrations/index.js';
import type { InboxDatabase } from './schema.js';
import { PostgresFeedSequencer, sqliteFeedSequencer } from './feed-sequencer.js';
import type { FeedSequencer } from './feed-sequencer.js';
import { assertDurableCommits, postgresPool, redactedDatabaseUrl } from './open-postgres.js';
import { postgresStoreDialect, storeDialect } from './sql-dialect.js';
import type { StoreDialect } from './sql-dialect.js';

export const DATABASE_FILE = 'sportello.db';

export interface OpenedDatabase {
  readonly db: Kysely<InboxDatabase>;
  readonly dialect: StoreDialect;
  /** The SQLite file, or the PostgreSQL URL with its password hidden. */
  readonly file: string;
  /** Numbers committed events for the feed (docs/store.md); SQLite's does nothing. */
  readonly feedSequencer: FeedSequencer;
  close(): Promise<void>;
}

/** Kysely prepares every query afresh; on the ingest path a prepared-statement cache halves the cost. */
class StatementCache implements SqliteDatabase {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, SqliteStatement>();
  readonly #capacity: number;

  constructor(db: Database.Database, capacity = 512) {
    this.#db = db;
    this.#capacity = capacity;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      // Re-insert so the Map's order is least recently used first.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#db.prepare(sql) as unknown as SqliteStatement;
    if (this.#statements.size >= this.#capacity) {
      const oldest = this.#statements.keys().next().value;
      if (oldest !== undefined) this.#statements.delete(oldest);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}

/**
 * Opens the store and brings its schema up to date: on PostgreSQL when `databaseUrl` is given
 * (SPORTELLO_DATABASE_URL), otherwise the SQLite file in the data directory (created if needed).
 */
export async function openDatabase(dataDir: string, databaseUrl?: string): Promise<OpenedDatabase> {
  return databaseUrl === undefined ? await openSqlite(dataDir) : await openPostgres(databaseUrl);
}

/** Durability: WAL with synchronous=FULL, so a committed transaction has been fsynced. */
async function openSqlite(dataDir: string): Promise<OpenedDatabase> {
  const file = path.join(dataDir, DATABASE_FILE);
  let sqlite: Database.Database;
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('temp_store = MEMORY');
  } catch (error) {
    throw new CodedError('store_unavailable', `Cannot open the database ${file} (check SPORTELLO_DATA_DIR): ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  const db = new Kysely<InboxDatabase>({ dialect: storeDialect(new StatementCache(sqlite)) });
  await migratedOrClosed(db, () => migrateToLatest(db));
  return { db, dialect: 'sqlite', file, feedSequencer: sqliteFeedSequencer, close: () => db.destroy() };
}

/** Durability: synchronous_commit and fsync on (checked), so a committed transaction is on disk. */
async function openPostgres(databaseUrl: string): Promise<OpenedDatabase> {
  const where = redactedDatabaseUrl(databaseUrl);
  const db = new Kysely<InboxDatabase>({ dialect: postgresStoreDialect(postgresPool(databaseUrl)) });
  await migratedOrClosed(db, async () => {
    try {
      await assertDurableCommits(db, where);
    } catch (error) {
      if (error instanceof CodedError) throw error;
      throw new CodedError('store_unavailable', `Cannot open the database ${where} (check SPORTELLO_DATABASE_URL): ${(error as Error).message}`, undefined, {
        cause: error,
      });
    }
    await migrateToLatest(db);
  });
  return { db, dialect: 'postgres', file: where, feedSequencer: new PostgresFeedSequencer(db), close: () => db.destroy() };
}

async function migratedOrClosed(db: Kysely<InboxDatabase>, prepare: () => Promise<void>): Promise<void> {
  try {
    await prepare();
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function migrateToLatest(db: Kysely<InboxDatabase>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new CodedError(
      'store_migration_failed',
      `Database migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      undefined,
      { cause: error },
    );
  }
}
