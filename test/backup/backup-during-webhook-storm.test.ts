/**
 * A backup taken while signed webhooks keep arriving restores a server that has everything the
 * snapshot saw: every message acknowledged before `backup create` began, the agents, the devices,
 * an audit chain that still verifies (with the restore as its newest row) and the media files.
 * The restore names the workstation paired after the snapshot, which must pair again. On SQLite
 * and, in the postgres project, on PostgreSQL (restored into a database of its own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaStore } from '../../server/media/media-store.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { openDatabase } from '../../server/store/open-database.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { TEST_STORE, testDatabaseUrl } from '../helpers/test-store.js';
import { cli, cliJson, newBackupKey, storeEnv } from './backup-cli.js';

const CONCURRENCY = 16;

describe(`a backup during a webhook storm (${TEST_STORE})`, () => {
  const source = makeTempDir('sportello-backup-source-');
  const archives = makeTempDir('sportello-backup-archives-');
  const parent = makeTempDir('sportello-backup-restored-');
  const restoredDir = path.join(parent.dir, 'data');
  const servers: TestServer[] = [];

  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const dir of [source, archives, parent]) dir.remove();
  });

  it('restores into an empty data dir every acknowledged message, the agents, devices, audit chain and media', { timeout: 120_000 }, async () => {
    const key = newBackupKey();
    const t = await startTestServer({ dataDir: source.dir });
    servers.push(t);
    const desk = await approvedDevice(t, 'front-desk');
    const anna = await enrolledAgent(t, desk, 'anna');
    const photo = Buffer.from(`a customer's photo ${Date.now()}`.repeat(5000));
    const stored = await new MediaStore(source.dir).writeBytes(photo, 16 * 1024 * 1024);

    // The storm: webhooks in flight all through the backup.
    const acked = new Set<string>();
    let storming = true;
    let sent = 0;
    const storm = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (storming) {
          const customer = t.customers.customers[sent % t.customers.customers.length]!;
          const { wamid, body } = inboundMessageWebhook(t.sandbox.business, customer, { type: 'text', text: { body: `storm ${sent++}` } });
          if ((await t.postWebhook(body)).status === 200) acked.add(wamid);
        }
      }),
    );
    while (acked.size < 300) await new Promise((resolve) => setTimeout(resolve, 20));
    const ackedBeforeSnapshot = new Set(acked);
    const env = await storeEnv(source.dir, { SPORTELLO_BACKUP_KEY: key, SPORTELLO_BACKUP_DIR: archives.dir });
    let created: { name: string; mediaFiles: number; counts: { messages: number } };
    let ackedByTheEnd: number;
    try {
      created = await cliJson<typeof created>(env, ['backup', 'create']);
      ackedByTheEnd = acked.size;
    } finally {
      storming = false;
      await storm;
    }
    expect(ackedByTheEnd).toBeGreaterThan(ackedBeforeSnapshot.size);
    expect(created.mediaFiles).toBe(1);
    expect(created.counts.messages).toBeGreaterThanOrEqual(ackedBeforeSnapshot.size);

    // A workstation paired after the snapshot: the restored server will not know it.
    const late = await approvedDevice(t, 'late-desk');

    const listed = await cliJson<Array<{ name: string }>>(env, ['backup', 'list']);
    expect(listed.map((entry) => entry.name)).toEqual([created.name]);
    const verified = await cli(env, ['backup', 'verify', created.name]);
    expect(verified, verified.stderr).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain(`Backup ${created.name} verifies`);

    const sourceUrl = await testDatabaseUrl(source.dir);
    const restoreEnv = await storeEnv(restoredDir, {
      SPORTELLO_BACKUP_KEY: key,
      SPORTELLO_BACKUP_DIR: archives.dir,
      ...(sourceUrl === undefined ? {} : { SPORTELLO_PREVIOUS_DATABASE_URL: sourceUrl }),
    });
    const restored = await cli(restoreEnv, ['backup', 'restore', created.name, '--previous-data-dir', source.dir]);
    expect(restored, restored.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(restored.stdout).toContain('These 1 workstations are unknown to the snapshot and must pair again:');
    expect(restored.stdout).toContain(late.machineId);
    expect(restored.stdout).not.toContain(desk.machineId);
    expect(restored.stdout).toContain('recorded in the restored audit log');

    await t.close();
    const r = await startTestServer({ dataDir: restoredDir });
    servers.push(r);
    const database = await openDatabase(restoredDir, await testDatabaseUrl(restoredDir));
    try {
      const wamids = new Set((await database.db.selectFrom('messages').select('wamid').execute()).map((row) => row.wamid));
      expect([...ackedBeforeSnapshot].filter((wamid) => !wamids.has(wamid))).toEqual([]);
      const agents = await database.db.selectFrom('agents').select('username').execute();
      expect(agents.map((agent) => agent.username)).toContain(anna.username);
      const devices = await database.db.selectFrom('devices').select(['machine_id', 'status']).execute();
      expect(devices).toContainEqual({ machine_id: desk.machineId, status: 'active' });
      expect(devices.map((device) => device.machine_id)).not.toContain(late.machineId);
      const newest = await database.db.selectFrom('audit_log').select(['event', 'details_json']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(newest.event).toBe('backup.restored');
    } finally {
      await database.close();
    }
    expect(fs.readFileSync(path.join(restoredDir, 'media', stored.sha256.slice(0, 2), stored.sha256)).equals(photo)).toBe(true);
    const chain = await cli(await storeEnv(restoredDir), ['audit', 'verify', '--json']);
    expect(chain, chain.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(chain.stdout)).toMatchObject({ ok: true });
  });
});
