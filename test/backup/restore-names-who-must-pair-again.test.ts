/**
 * Who must pair again after a restore, read from the store it replaces: a workstation active
 * there and unknown to the snapshot, and one re-paired since with a new key (the restored server
 * holds its old key), but not one the snapshot knows with the same key, nor one revoked since.
 * A replaced store that cannot be read is said, not guessed at.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SnapshotDevice } from '../../server/backup/archive-format.js';
import { devicesToPairAgain } from '../../server/backup/pair-again.js';
import { openDatabase } from '../../server/store/open-database.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE, testDatabaseUrl } from '../helpers/test-store.js';

const machine = (digit: string) => digit.repeat(64);

describe(`the workstations a restore names (${TEST_STORE})`, () => {
  const temp = makeTempDir('sportello-pair-again-');
  afterAll(() => temp.remove());

  it('names those paired or re-keyed after the snapshot, from the replaced store', async () => {
    const databaseUrl = await testDatabaseUrl(temp.dir);
    const database = await openDatabase(temp.dir, databaseUrl);
    const device = (machineId: string, fingerprint: string, status: 'active' | 'revoked', hostname: string) => ({
      machine_id: machineId,
      public_key: `key-${fingerprint}`,
      key_fingerprint: fingerprint,
      hostname,
      os: 'linux',
      app_version: '1.0.0',
      storage_backend: 'gnome_libsecret',
      label: `Desk ${hostname}`,
      status,
      approved_by: 'cli:it',
      approved_at: 1_000,
      created_at: 1_000,
      updated_at: 1_000,
    });
    try {
      await database.db
        .insertInto('devices')
        .values([
          device(machine('1'), 'same-key', 'active', 'kept'),
          device(machine('2'), 'new-key', 'active', 'rekeyed'),
          device(machine('3'), 'later', 'active', 'paired-later'),
          device(machine('4'), 'gone', 'revoked', 'revoked-since'),
        ])
        .execute();
    } finally {
      await database.close();
    }
    const inSnapshot = (machineId: string, keyFingerprint: string): SnapshotDevice => ({
      machineId,
      keyFingerprint,
      hostname: 'h',
      label: 'l',
      status: 'active',
      approvedAt: 500,
    });
    const snapshot = [inSnapshot(machine('1'), 'same-key'), inSnapshot(machine('2'), 'old-key'), inSnapshot(machine('4'), 'gone')];
    const named = await devicesToPairAgain(snapshot, { dataDir: temp.dir, databaseUrl });
    expect(named.compared).toBe(true);
    expect(named.devices.map((entry) => entry.hostname)).toEqual(['rekeyed', 'paired-later']);

    const unreadable = await devicesToPairAgain(snapshot, { dataDir: path.join(temp.dir, 'nowhere') });
    expect(unreadable).toMatchObject({ compared: false, devices: [] });
    expect(unreadable.problem).toContain('there is no database at');
  });
});
