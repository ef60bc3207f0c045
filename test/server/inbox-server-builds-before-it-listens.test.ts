/**
 * `buildInboxServer` gives the whole app with no port open and nothing running behind it, so
 * route tests can `inject`; `listen()` then starts what a running server needs: the audit
 * checkpoints (the first one is written then), the /metrics listener, the port, the workers.
 * `startInboxServer` did all of it in one call, so every route test needed a port.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAuditCheckpointFile } from '../../server/config/load-config.js';
import { IT } from '../helpers/identity-setup.js';
import { buildTestServer } from '../helpers/test-server.js';
import type { BuiltTestServer } from '../helpers/test-server.js';

let t: BuiltTestServer | undefined;
afterEach(async () => {
  // The same close, whether the server listened or not: it stops what was started.
  await t?.close();
  t = undefined;
});

describe('a built inbox server', () => {
  it('answers its routes through inject with no port open and no checkpoint written', async () => {
    t = await buildTestServer();
    expect(t.server.app.server.listening).toBe(false);
    const health = await t.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
    // An audited act commits as on a running server; the checkpoints start only with listen().
    await t.server.identity.devices.allow([{ machineId: 'a'.repeat(64), label: 'Front desk' }], IT, 'single');
    expect(await t.server.database.db.selectFrom('audit_log').select('id').execute()).not.toHaveLength(0);
    expect(fs.existsSync(defaultAuditCheckpointFile(t.dataDir))).toBe(false);
  });

  it('listens once: the port, /metrics and the first checkpoint come with it', async () => {
    t = await buildTestServer();
    const listening = await t.server.listen();
    expect(t.server.app.server.listening).toBe(true);
    expect(fs.existsSync(defaultAuditCheckpointFile(t.dataDir))).toBe(true);
    const health = await fetch(`${listening.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${listening.metricsUrl}/metrics`)).status).toBe(200);
    await expect(t.server.listen()).rejects.toThrow(/already/);
  });
});
