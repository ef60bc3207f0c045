/**
 * What bench:routing does beside its webhooks while they arrive: agents resolving conversations
 * they hold, through the API on a fixed schedule (each from their own address, with their own
 * token), so room appears and routing fills the queue as it would at a desk; and the server's
 * event-loop lag, read from its metrics listener (prom-client's p99 and max, reset at each read)
 * once a second.
 */
import http from 'node:http';
import type { Viewer } from './fanout-viewers.js';
import { sleep } from './scheduled-posts.js';

export interface Resolving {
  readonly conversationId: number;
  readonly viewer: Viewer;
}

export interface ResolveResult {
  readonly ok: number;
  readonly failures: Map<string, number>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function resolveOne(port: number, { conversationId, viewer }: Resolving): Promise<string> {
  const body = Buffer.from(JSON.stringify({ state: 'resolved' }));
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/v1/conversations/${conversationId}/state`,
        method: 'POST',
        agent,
        localAddress: viewer.sourceAddress,
        headers: { authorization: `Bearer ${viewer.accessToken}`, 'content-type': 'application/json', 'content-length': String(body.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 200) resolve('ok');
          else {
            const code = /"code":"([a-z_]+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
            resolve(`HTTP ${response.statusCode}${code === undefined ? '' : ` ${code}`}`);
          }
        });
        response.on('error', (error) => resolve(error.message));
      },
    );
    request.on('error', (error) => resolve(error.message));
    request.end(body);
  });
}

/** Resolves `queue` in order, the i-th due at `startAt + i * 1000 / rate` (performance.now() ms), until `until`. */
export async function resolveOnSchedule(port: number, queue: readonly Resolving[], rate: number, startAt: number, until: number): Promise<ResolveResult> {
  const result: ResolveResult = { ok: 0, failures: new Map() };
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < queue.length; i += 1) {
    const due = startAt + (i * 1000) / rate;
    if (due > until) break;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const item = queue[i];
    if (item === undefined) break;
    pending.push(
      resolveOne(port, item).then((outcome) => {
        if (outcome === 'ok') (result as { ok: number }).ok += 1;
        else result.failures.set(outcome, (result.failures.get(outcome) ?? 0) + 1);
      }),
    );
  }
  await Promise.all(pending);
  return result;
}

function readMetrics(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

const gauge = (text: string, name: string) => {
  const match = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  return match === null ? Number.NaN : Number(match[1]) * 1000;
};

export interface LoopLag {
  /** Each second's p99, in milliseconds. */
  readonly p99s: number[];
  /** The largest delay seen, in milliseconds. */
  max: number;
  stop(): Promise<void>;
}

/** Reads the server's event-loop lag once a second until stopped (the first read only resets what came before). */
export function watchLoopLag(metricsPort: number): LoopLag {
  let running = true;
  const lag: LoopLag = {
    p99s: [],
    max: 0,
    stop: async () => {
      running = false;
      await done;
    },
  };
  const done = (async () => {
    await readMetrics(metricsPort).catch(() => '');
    while (running) {
      await sleep(1000);
      const text = await readMetrics(metricsPort).catch(() => '');
      const p99 = gauge(text, 'sportello_nodejs_eventloop_lag_p99_seconds');
      const max = gauge(text, 'sportello_nodejs_eventloop_lag_max_seconds');
      if (Number.isFinite(p99)) lag.p99s.push(p99);
      if (Number.isFinite(max)) lag.max = Math.max(lag.max, max);
    }
  })();
  return lag;
}
