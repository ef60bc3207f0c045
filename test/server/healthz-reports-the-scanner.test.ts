/**
 * A server without a virus scanner still runs and says so, once at start and in /healthz; with a
 * real clamd (test/helpers/clamd.ts) /healthz says the scanner answers, and once clamd is stopped
 * it says the scanner is unavailable and the server degraded, still answering 200.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningClamd } from '../helpers/clamd.js';
import { startClamd } from '../helpers/clamd.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function logSink(): { lines: Array<{ level: number; msg: string }>; logger: pino.Logger } {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

async function health(t: TestServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${t.server.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('/healthz and the virus scanner', () => {
  it('runs without one, and says so once at start and on every health check', async () => {
    const { lines, logger } = logSink();
    const t = await startTestServer({ logger });
    cleanups.push(() => t.close());
    expect(await health(t)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', scanner: 'not_configured' }) as unknown });
    await health(t);
    expect(lines.filter((line) => /virus scanner/.test(line.msg))).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/no virus scanner configured/) as unknown }),
    ]);
  });

  it('reports a running clamd, and a stopped one as unavailable', async () => {
    const clamd: RunningClamd = await startClamd();
    cleanups.push(() => clamd.stop());
    const t = await startTestServer({ scanner: { socketPath: clamd.socketPath } });
    cleanups.push(() => t.close());
    expect(await health(t)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', scanner: 'ok' }) as unknown });
    await clamd.stop();
    expect(await health(t)).toEqual({ status: 200, body: expect.objectContaining({ status: 'degraded', scanner: 'unavailable', store: 'ok' }) as unknown });
  }, 180_000);
});
