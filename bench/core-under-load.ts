/**
 * For `npm run bench:cache`: how long a trivial core call waits while the cache works. A real
 * client core is paired and signed in (as a supervisor, who sees every conversation) against a
 * real server on loopback; its cache is filled through the cache's own code on a second
 * connection, with one message carrying the largest preview getMedia serves (25 MB). Then, round
 * after round, a probe sends `getState` through the core's IPC path on a fixed schedule while:
 * nothing else runs (the machine's own noise), searches run back to back through the core (in
 * its cache worker), the same searches run on the calling thread by the cache's own code (as the
 * core ran them before the worker: what main was held for), and the same for reads of the 25 MB
 * file. A probe's wait runs from its scheduled time to its answer, so a held thread shows as the
 * time a probe could not even be sent, as an IPC message arriving then would wait. On a loaded
 * machine with few cores that wait is also the time the OS gave the thread to others, so the CPU
 * time the main thread itself spent on each kind of work is measured too (Linux, /proc). The kinds
 * take turns in a different order each round, so machine noise hits them alike.
 */
import crypto from 'node:crypto';
import { teamViewer } from '../test/helpers/cache-rows.js';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openCacheDatabase } from '../main/cache/cache-database.js';
import { CacheSecrets } from '../main/cache/cache-secrets.js';
import { InboxCache } from '../main/cache/inbox-cache.js';
import { MediaCache } from '../main/cache/media-cache.js';
import { cacheDir, MEDIA_DIR } from '../main/cache/workstation-cache.js';
import { openCacheStore } from '../main/cache/cache-store.js';
import type { CacheStore } from '../main/cache/cache-store.js';
import { MAX_PREVIEW_BYTES } from '../main/core/agent-session.js';
import { ClientCore } from '../main/core/client-core.js';
import { dispatchIpc } from '../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../main/secrets/sealed-files.js';
import { conversationView, textMessageView } from '../test/helpers/cache-rows.js';
import { coreDriver, pairAndEnroll } from '../test/helpers/core-enrollment.js';
import { makeTestPlatform } from '../test/helpers/node-platform.js';
import { eventually } from '../test/helpers/store-queries.js';
import { startTestServer } from '../test/helpers/test-server.js';

/** How often the probe's getState is due. */
const PROBE_EVERY_MS = 2;
/** The cached media file read through the core (the largest preview getMedia serves), and how often. */
const MEDIA_ID = 900_001;
const MEDIA_READS = 10;
const IDLE_MS = 1000;
const VIEWER = teamViewer(1, 'supervisor');

/** What one kind of work costs the probe, and the work's own times, each sorted. */
export interface Measured {
  readonly probeMs: number[];
  readonly workMs: number[];
  /** CPU time the main thread itself spent while the work ran (Linux; undefined elsewhere): what no machine noise adds. */
  readonly mainThreadCpuMs: number | undefined;
}

export type LoadKind = 'idle' | 'search_in_worker' | 'search_on_main_thread' | 'media_in_worker' | 'media_on_main_thread';

export interface CoreUnderLoad {
  /** Per round, per kind. */
  readonly rounds: Array<Record<LoadKind, Measured>>;
  readonly hits: number;
}

/** The CPU time this process's main thread has used so far, from /proc (clock ticks of 10 ms); undefined off Linux. */
function mainThreadCpuMs(): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Runs `work` while getState is due every PROBE_EVERY_MS; returns each probe's wait, sorted. */
async function probeWhile(core: ClientCore, work: () => Promise<void>): Promise<number[]> {
  const probeMs: number[] = [];
  // Probes arrive on their own schedule, each independent of the others: one the thread could
  // not take when it was due is sent as soon as it can be, and waits from its due time.
  const answers: Array<Promise<void>> = [];
  let working = true;
  let next = performance.now() + PROBE_EVERY_MS;
  let timer: NodeJS.Timeout | undefined;
  const probe = (due: number) =>
    dispatchIpc(core, 'getState', {}).then((answer) => {
      if (!answer.ok) throw new Error(`getState: ${answer.code}`);
      probeMs.push(performance.now() - due);
    });
  const tick = () => {
    for (const now = performance.now(); next <= now; next += PROBE_EVERY_MS) answers.push(probe(next));
    if (working) timer = setTimeout(tick, Math.max(0, next - performance.now()));
  };
  tick();
  try {
    await work();
  } finally {
    working = false;
    clearTimeout(timer);
    await Promise.all(answers);
  }
  return probeMs.sort((a, b) => a - b);
}

/** Times each call of `call` in `times`; each arrives as an IPC message of its own, a task of its own as the renderer's next would. */
async function timed<T>(times: number[], call: () => Promise<T>): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve));
  const started = performance.now();
  const value = await call();
  times.push(performance.now() - started);
  return value;
}

export async function coreUnderLoad(fill: (db: Database.Database) => void, queries: readonly string[], rounds: number): Promise<CoreUnderLoad> {
  const t = await startTestServer({ tls: true });
  const platform = makeTestPlatform({ hostname: 'bench-desk' });
  const core = new ClientCore(platform, { pairingPollMs: 50, reconnectBackoffMs: 100 });
  let store: CacheStore | undefined;
  try {
    if (t.certificate === undefined) throw new Error('expected TLS');
    platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
    await core.start();
    const { call, waitFor } = coreDriver(core);
    await pairAndEnroll(t, call, waitFor, 'bench.searcher', 'supervisor');
    await eventually(async () => ((await call('getConnection')) as { status: string }).status === 'online' || undefined, 10_000, 'the event socket online');

    // The core's own cache, under its own keys, filled on a second connection, and the file
    // sealed in the media folder as getMedia would have kept it.
    const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
    const keys = secrets.keys(Date.now());
    const db = openCacheDatabase(cacheDir(platform.userDataDir), keys.database);
    try {
      fill(db);
      const file = {
        id: MEDIA_ID,
        kind: 'document',
        mimeType: 'application/pdf',
        size: MAX_PREVIEW_BYTES,
        filename: 'scan.pdf',
        state: 'stored' as const,
        scan: 'clean' as const,
        scanReason: null,
      };
      new InboxCache(db).storePage(
        { conversations: [conversationView(MEDIA_ID)], messages: [{ ...textMessageView(MEDIA_ID, MEDIA_ID, 'scan'), media: file }] },
        1,
      );
      new MediaCache({ dir: path.join(cacheDir(platform.userDataDir), MEDIA_DIR), key: keys.media, db, now: Date.now }).put(
        MEDIA_ID,
        file.mimeType,
        crypto.randomBytes(MAX_PREVIEW_BYTES),
      );
    } finally {
      db.close();
    }
    // The same cache on this thread too, to run the same work where the core used to.
    const onMainThread = openCacheStore(platform.userDataDir, secrets.keys(Date.now()), Date.now);
    store = onMainThread;

    let hits = 0;
    const searches = async (search: (query: string) => Promise<number>, times: number[]) => {
      for (const query of queries) hits += await timed(times, () => search(query));
    };
    const mediaReads = async (read: () => Promise<number>, times: number[]) => {
      for (let i = 0; i < MEDIA_READS; i += 1) if ((await timed(times, read)) !== MAX_PREVIEW_BYTES) throw new Error('the cached file did not open');
    };
    const work: Record<LoadKind, (times: number[]) => Promise<void>> = {
      idle: () => new Promise((resolve) => setTimeout(resolve, IDLE_MS)),
      search_in_worker: (times) =>
        searches(async (query) => {
          const answer = await dispatchIpc(core, 'search', { query, limit: 30 });
          if (!answer.ok) throw new Error(`search "${query}": ${answer.code} ${answer.message}`);
          return (answer.value as { hits: unknown[] }).hits.length;
        }, times),
      search_on_main_thread: (times) => searches((query) => Promise.resolve(onMainThread.inbox.search(VIEWER, query, 30).length), times),
      media_in_worker: (times) =>
        mediaReads(async () => {
          const answer = await dispatchIpc(core, 'getMedia', { mediaId: MEDIA_ID });
          if (!answer.ok) throw new Error(`getMedia: ${answer.code} ${answer.message}`);
          return (answer.value as { bytes: Uint8Array }).bytes.length;
        }, times),
      media_on_main_thread: (times) => mediaReads(() => Promise.resolve(onMainThread.media.get(MEDIA_ID)?.bytes.length ?? 0), times),
    };
    const kinds = Object.keys(work) as LoadKind[];
    const measured: Array<Record<LoadKind, Measured>> = [];
    for (let round = 0; round < rounds; round += 1) {
      const results: Partial<Record<LoadKind, Measured>> = {};
      // Each round starts at another kind.
      for (const kind of [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)]) {
        const workMs: number[] = [];
        const cpuBefore = mainThreadCpuMs();
        const probeMs = await probeWhile(core, () => work[kind](workMs));
        const cpuAfter = mainThreadCpuMs();
        const mainThreadCpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
        results[kind] = { probeMs, workMs: workMs.sort((a, b) => a - b), mainThreadCpuMs: mainThreadCpu };
      }
      measured.push(results as Record<LoadKind, Measured>);
    }
    return { rounds: measured, hits };
  } finally {
    store?.close();
    await core.stop();
    await t.close();
    platform.remove();
  }
}
