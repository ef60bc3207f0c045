/**
 * The store on PostgreSQL (SPORTELLO_DATABASE_URL): a `pg` pool behind Kysely's PostgreSQL
 * dialect, the same migrations, and the same guarantee as SQLite's synchronous=FULL: a commit has
 * been flushed to the WAL on disk before it returns, checked when the store opens.
 */
import pg from 'pg';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboxDatabase } from './schema.js';

const INT8_OID = 20;

/**
 * `bigint` columns (epoch milliseconds, counts, the feed's seq) come back as JS numbers, as from
 * SQLite. A number is exact up to 2^53 - 1 (year 287396 in milliseconds, 9 * 10^15 events): a
 * value past it is refused rather than rounded.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`A bigint column holds ${text}, past the 2^53 - 1 the store reads exactly.`);
  return value;
}

const storeTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : (pg.types.getTypeParser(oid, format ?? 'text') as unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/** The URL with its password replaced, for messages and logs. */
export function redactedDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '(an unreadable URL)';
  }
}

export function postgresPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, types: storeTypes, max: 10 });
  // An idle connection the server closed (a restart, pg_terminate_backend) must not end the process:
  // the pool drops it and the next query gets a new one.
  pool.on('error', () => undefined);
  // The same for a connection in use (a transaction in flight, the committer's): its query fails
  // and the pool discards it on release; without a listener the 'error' event would end the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** The synchronous_commit levels at which a commit returns once its WAL is flushed on this server. */
const LOCALLY_DURABLE = new Set(['on', 'local', 'remote_write', 'remote_apply']);

/** Refuses a database whose commits could be acknowledged before they are on disk. */
export async function assertDurableCommits(db: Kysely<InboxDatabase>, where: string): Promise<void> {
  const settings = await sql<{ name: string; setting: string }>`
    select name, setting from pg_settings where name in ('synchronous_commit', 'fsync')`.execute(db);
  const value = (name: string) => settings.rows.find((row) => row.name === name)?.setting;
  if (!LOCALLY_DURABLE.has(value('synchronous_commit') ?? '') || value('fsync') !== 'on') {
    throw new CodedError(
      'store_unavailable',
      `The database ${where} acknowledges commits before they are on disk (synchronous_commit=${value('synchronous_commit') ?? '?'}, fsync=${value('fsync') ?? '?'}): set both to on, since Sportello answers a webhook only once it is durable.`,
    );
  }
}

/** Whether the database holds a Sportello store already (its migrations table): the admin CLI never creates one. */
export async function postgresStoreExists(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const found = await client.query<{ found: boolean }>("select to_regclass('kysely_migration') is not null as found");
    return found.rows[0]?.found === true;
  } catch (error) {
    throw new CodedError(
      'store_unavailable',
      `Cannot open the database ${redactedDatabaseUrl(databaseUrl)} (check SPORTELLO_DATABASE_URL): ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
