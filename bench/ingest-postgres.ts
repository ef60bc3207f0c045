/**
 * bench:ingest on PostgreSQL (SPORTELLO_DATABASE_URL set): the server's store is a database of
 * its own on that cluster, made for the run and dropped after it (the URL's role needs CREATEDB),
 * and the raw baseline is the same HMAC check and durable insert over one `pg` connection.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { redactedDatabaseUrl } from '../server/store/open-postgres.js';

export interface BenchDatabase {
  readonly url: string;
  readonly shown: string;
  drop(): Promise<void>;
}

async function onCluster<T>(clusterUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh database beside the one `clusterUrl` names. */
export async function benchDatabase(clusterUrl: string, purpose: string): Promise<BenchDatabase> {
  const name = `sportello_bench_${purpose}_${crypto.randomBytes(6).toString('hex')}`;
  await onCluster(clusterUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    shown: redactedDatabaseUrl(url.toString()),
    drop: () => onCluster(clusterUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** Drops the databases a bench made, saying which one could not be dropped rather than failing the run's end. */
export async function dropBenchDatabases(databases: readonly BenchDatabase[]): Promise<void> {
  for (const database of databases) await database.drop().catch((error: unknown) => console.error(`could not drop ${database.shown}: ${String(error)}`));
}

export interface BaselineWebhook {
  readonly wamid: string;
  readonly body: Buffer;
  readonly signature: string;
}

/** HMAC check + insert in a tight loop, `perTransaction` per commit (synchronous_commit on, as the store checks). */
export async function runPostgresBaseline(
  databaseUrl: string,
  webhooks: readonly BaselineWebhook[],
  seconds: number,
  perTransaction: number,
  verifySignature: (body: Buffer, header: string) => boolean,
): Promise<{ rate: number; count: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      'create table baseline_messages (id bigint generated always as identity primary key, wamid text not null unique, raw_json text not null, received_at bigint not null)',
    );
    const insert = { name: 'baseline-insert', text: 'insert into baseline_messages (wamid, raw_json, received_at) values ($1, $2, $3)' };
    let count = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    while (performance.now() < deadline) {
      if (perTransaction > 1) await client.query('begin');
      for (let i = 0; i < perTransaction; i += 1) {
        const round = Math.floor(count / webhooks.length);
        const webhook = webhooks[count % webhooks.length]!;
        if (!verifySignature(webhook.body, webhook.signature)) throw new Error('baseline: a signature did not verify');
        await client.query({ ...insert, values: [round === 0 ? webhook.wamid : `${webhook.wamid}.${round}`, webhook.body.toString('utf8'), Date.now()] });
        count += 1;
      }
      if (perTransaction > 1) await client.query('commit');
    }
    const elapsedS = (performance.now() - started) / 1000;
    const stored = Number((await client.query<{ n: string }>('select count(*) as n from baseline_messages')).rows[0]?.n ?? 0);
    if (stored !== count) throw new Error(`baseline: ${count} inserts but ${stored} rows`);
    await client.query('drop table baseline_messages');
    return { rate: count / elapsedS, count };
  } finally {
    await client.end();
  }
}

/** The feed's cost in row versions: each event is inserted, then updated by its stamping pass. */
export async function eventsTableChurn(databaseUrl: string): Promise<{ live: number; dead: number; autovacuums: number; unstamped: number }> {
  return onCluster(databaseUrl, async (client) => {
    const stats = await client.query<{ live: string; dead: string; autovacuums: string }>(
      "select n_live_tup as live, n_dead_tup as dead, autovacuum_count as autovacuums from pg_stat_user_tables where relname = 'events'",
    );
    const unstamped = await client.query<{ n: string }>('select count(*) as n from events where seq is null');
    const row = stats.rows[0];
    return {
      live: Number(row?.live ?? 0),
      dead: Number(row?.dead ?? 0),
      autovacuums: Number(row?.autovacuums ?? 0),
      unstamped: Number(unstamped.rows[0]?.n ?? 0),
    };
  });
}
