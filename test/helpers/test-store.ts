/**
 * Which store the tests run on: SQLite files in each data directory, or, in the `postgres`
 * vitest project (vitest.config.ts), a fresh PostgreSQL database for each data directory on the
 * cluster SPORTELLO_TEST_DATABASE_URL names (scripts/throwaway-postgres.sh). The database is
 * named after the directory, so a server restarted on the same directory finds its data again;
 * every database a test file made is dropped when the file ends (test/helpers/postgres-setup.ts).
 */
import crypto from 'node:crypto';
import pg from 'pg';

export type TestStore = 'sqlite' | 'postgres';

export const TEST_STORE: TestStore = process.env.SPORTELLO_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

const made = new Map<string, Promise<string>>();

function clusterUrl(): string {
  const url = process.env.SPORTELLO_TEST_DATABASE_URL;
  if (url === undefined || url === '')
    throw new Error('The postgres test project needs SPORTELLO_TEST_DATABASE_URL (its global setup starts scripts/throwaway-postgres.sh).');
  return url;
}

/** A query on the cluster's maintenance database (CREATE and DROP DATABASE run outside any database of ours). */
async function onCluster<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: clusterUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export function databaseNameFor(dataDir: string): string {
  return `sportello_test_${crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 20)}`;
}

/** The URL of `dataDir`'s own database on the test cluster (created the first time it is asked for). */
export function postgresUrlFor(dataDir: string): Promise<string> {
  let url = made.get(dataDir);
  if (url === undefined) {
    const name = databaseNameFor(dataDir);
    url = onCluster(async (client) => {
      await client.query(`create database ${name}`);
      const target = new URL(clusterUrl());
      target.pathname = `/${name}`;
      return target.toString();
    });
    made.set(dataDir, url);
  }
  return url;
}

/** What the server gets as SPORTELLO_DATABASE_URL for `dataDir`: undefined on SQLite. */
export async function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  return TEST_STORE === 'postgres' ? await postgresUrlFor(dataDir) : undefined;
}

/** Drops every database this process made (their servers are closed by then; any straggler is cut off). */
export async function dropTestDatabases(): Promise<void> {
  const names = [...made.keys()].map(databaseNameFor);
  made.clear();
  if (names.length === 0) return;
  await onCluster(async (client) => {
    for (const name of names) await client.query(`drop database if exists ${name} with (force)`);
  });
}
