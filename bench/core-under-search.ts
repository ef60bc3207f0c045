/**
 * For `npm run bench:cache`: how long a trivial core call waits while the agent searches. A real
 * client core is paired and signed in (as a supervisor, who sees every conversation) against a
 * real server on loopback; its cache is filled through the cache's own code on a second
 * connection; then searches go through the core's IPC path back to back while a probe sends
 * `getState` through the same path on a fixed schedule. A probe's latency runs from its scheduled
 * time to its answer, so a thread held by a search shows as the time the probe could not even be
 * sent, as an IPC message arriving then would wait.
 */
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openCacheDatabase } from '../main/cache/cache-database.js';
import { CacheSecrets } from '../main/cache/cache-secrets.js';
import { cacheDir } from '../main/cache/workstation-cache.js';
import { ClientCore } from '../main/core/client-core.js';
import { dispatchIpc } from '../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../main/secrets/sealed-files.js';
import { coreDriver, pairAndEnroll } from '../test/helpers/core-enrollment.js';
import { makeTestPlatform } from '../test/helpers/node-platform.js';
import { eventually } from '../test/helpers/store-queries.js';
import { startTestServer } from '../test/helpers/test-server.js';

/** How often the probe's getState is due. */
const PROBE_EVERY_MS = 2;

export interface IpcUnderSearch {
  /** Each probe's wait, from its scheduled time to its answer, sorted. */
  readonly probeMs: number[];
  /** Each search's time through the core, sorted. */
  readonly searchMs: number[];
  readonly hits: number;
}

export async function ipcDuringSearch(fill: (db: Database.Database) => void, queries: readonly string[]): Promise<IpcUnderSearch> {
  const t = await startTestServer({ tls: true });
  const platform = makeTestPlatform({ hostname: 'bench-desk' });
  const core = new ClientCore(platform, { pairingPollMs: 50, reconnectBackoffMs: 100 });
  try {
    if (t.certificate === undefined) throw new Error('expected TLS');
    platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
    await core.start();
    const { call, waitFor } = coreDriver(core);
    await pairAndEnroll(t, call, waitFor, 'bench.searcher', 'supervisor');
    await eventually(async () => ((await call('getConnection')) as { status: string }).status === 'online' || undefined, 10_000, 'the event socket online');

    // The core's own cache file, under its own keys, filled on a second connection.
    const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
    const db = openCacheDatabase(cacheDir(platform.userDataDir), secrets.keys(Date.now()).database);
    try {
      fill(db);
    } finally {
      db.close();
    }

    const probeMs: number[] = [];
    const searchMs: number[] = [];
    let hits = 0;
    // Probes arrive on their own schedule, each independent of the others: one the thread could
    // not take when it was due is sent as soon as it can be, and waits from its due time.
    const answers: Array<Promise<void>> = [];
    let searching = true;
    let next = performance.now() + PROBE_EVERY_MS;
    let timer: NodeJS.Timeout | undefined;
    const probe = (due: number) =>
      dispatchIpc(core, 'getState', {}).then((answer) => {
        if (!answer.ok) throw new Error(`getState: ${answer.code}`);
        probeMs.push(performance.now() - due);
      });
    const tick = () => {
      for (const now = performance.now(); next <= now; next += PROBE_EVERY_MS) answers.push(probe(next));
      if (searching) timer = setTimeout(tick, Math.max(0, next - performance.now()));
    };
    tick();
    try {
      for (const query of queries) {
        // Each search arrives as an IPC message of its own, a task of its own as the renderer's next would.
        await new Promise((resolve) => setImmediate(resolve));
        const started = performance.now();
        const answer = await dispatchIpc(core, 'search', { query, limit: 30 });
        if (!answer.ok) throw new Error(`search "${query}": ${answer.code} ${answer.message}`);
        searchMs.push(performance.now() - started);
        hits += (answer.value as { hits: unknown[] }).hits.length;
      }
    } finally {
      searching = false;
      clearTimeout(timer);
      await Promise.all(answers);
    }
    return { probeMs: probeMs.sort((a, b) => a - b), searchMs: searchMs.sort((a, b) => a - b), hits };
  } finally {
    await core.stop();
    await t.close();
    platform.remove();
  }
}
