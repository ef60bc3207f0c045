/**
 * /metrics has a listener of its own (127.0.0.1:9464 by default), so what it tells (traffic,
 * error counts, queue depths, process details) is never served on the public port that Meta and
 * the workstations reach. The public port answers 404 for it; /v1/openapi.json stays public.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/load-config.js';
import { startServerProcess, stopServerProcess } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
let child: ServerProcess | undefined;
const temps: Array<{ remove: () => void }> = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (child !== undefined) await stopServerProcess(child);
  child = undefined;
  for (const temp of temps.splice(0)) temp.remove();
});

describe('/metrics is not on the public port', () => {
  it('answers 404 on the public port and serves the metrics on its own loopback listener', async () => {
    t = await startTestServer();
    const publicUrl = new URL(t.server.url);
    const metricsUrl = new URL(t.server.metricsUrl);
    expect(metricsUrl.hostname).toBe('127.0.0.1');
    expect(metricsUrl.port).not.toBe(publicUrl.port);

    const onPublic = await fetch(`${t.server.url}/metrics`);
    expect(onPublic.status).toBe(404);
    expect(await onPublic.text()).not.toMatch(/sportello_/);

    const scraped = await fetch(`${t.server.metricsUrl}/metrics`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await scraped.text()).toMatch(/^# TYPE sportello_webhook_requests_total counter$/m);

    // The metrics listener serves nothing else; the public API document stays public.
    for (const other of ['/healthz', '/v1/openapi.json', '/webhooks/whatsapp']) expect((await fetch(`${t.server.metricsUrl}${other}`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/v1/openapi.json`)).status).toBe(200);
  });

  it('does the same in the server process `npm run server` starts', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    child = await startServerProcess(temp.dir, {
      appSecret: crypto.randomBytes(32).toString('hex'),
      verifyToken: crypto.randomBytes(16).toString('base64url'),
    });
    expect(child.metricsPort).not.toBe(child.port);
    expect((await fetch(`http://127.0.0.1:${child.port}/metrics`)).status).toBe(404);
    const scraped = await fetch(`http://127.0.0.1:${child.metricsPort}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^sportello_process_cpu_seconds_total/m);
  });
});

describe('SPORTELLO_METRICS_HOST and SPORTELLO_METRICS_PORT', () => {
  const base = { SPORTELLO_SANDBOX: '1' };

  it('default to 127.0.0.1:9464', () => {
    expect(loadConfig(base).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ ...base, SPORTELLO_METRICS_HOST: '10.0.0.5', SPORTELLO_METRICS_PORT: '0' }).metrics).toEqual({ host: '10.0.0.5', port: 0 });
  });

  it('refuse a bad value, or the public port, with one line naming the setting', () => {
    const refusal = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ ...base, ...env });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(refusal({ SPORTELLO_METRICS_PORT: '70000' })).toBe('Configuration error: SPORTELLO_METRICS_PORT must be at most 65535 (from environment).');
    expect(refusal({ SPORTELLO_METRICS_PORT: 'nine' })).toBe('Configuration error: SPORTELLO_METRICS_PORT must be a number (from environment).');
    expect(refusal({ SPORTELLO_METRICS_HOST: 'http://127.0.0.1:9464' })).toBe(
      'Configuration error: SPORTELLO_METRICS_HOST must be a host name or an IP address, such as 127.0.0.1 (from environment).',
    );
    expect(refusal({ SPORTELLO_PORT: '9000', SPORTELLO_METRICS_PORT: '9000' })).toBe(
      'Configuration error: SPORTELLO_METRICS_PORT must differ from SPORTELLO_PORT (9000): /metrics has a listener of its own, never the public port.',
    );
  });
});
