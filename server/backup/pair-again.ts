/**
 * Which workstations have to pair again after a restore: those active in the store the restore
 * replaces and not active with the same key in the snapshot (paired after it, or re-paired since
 * with a new key, which the restored server would not accept). A restored server
 * answers them "unknown", and a machine that hears it wipes itself, so IT must know whom to
 * approve again. The snapshot alone cannot name them: the replaced store is read (without
 * changing it) when the restore is told where it is and it can be opened; otherwise the restore
 * says the snapshot's time, after which every pairing is lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { DATABASE_FILE } from '../store/open-database.js';
import type { BackupSource } from './create-backup.js';
import type { SnapshotDevice } from './archive-format.js';

export interface PairAgain {
  /** Whether the replaced store could be read. */
  readonly compared: boolean;
  /** Why it could not, when it could not. */
  readonly problem?: string;
  readonly devices: ReadonlyArray<{ machineId: string; hostname: string; label: string; approvedAt: number | null }>;
}

interface Row {
  machine_id: string;
  key_fingerprint: string | null;
  hostname: string;
  label: string;
  approved_at: number | string | null;
}

const ACTIVE_DEVICES = "select machine_id, key_fingerprint, hostname, label, approved_at from devices where status = 'active' order by id";

async function activeDevices(previous: BackupSource): Promise<Row[]> {
  if (previous.databaseUrl !== undefined) {
    const client = new pg.Client({ connectionString: previous.databaseUrl });
    try {
      await client.connect();
      return (await client.query<Row>(ACTIVE_DEVICES)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const file = path.join(previous.dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new Error(`there is no database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(ACTIVE_DEVICES).all() as Row[];
  } finally {
    db.close();
  }
}

export async function devicesToPairAgain(snapshot: readonly SnapshotDevice[], previous: BackupSource): Promise<PairAgain> {
  let rows: Row[];
  try {
    rows = await activeDevices(previous);
  } catch (error) {
    return { compared: false, problem: (error as Error).message, devices: [] };
  }
  const known = new Set(snapshot.filter((device) => device.status === 'active').map((device) => `${device.machineId}\0${device.keyFingerprint ?? ''}`));
  return {
    compared: true,
    devices: rows
      .filter((row) => !known.has(`${row.machine_id}\0${row.key_fingerprint ?? ''}`))
      .map((row) => ({
        machineId: row.machine_id,
        hostname: row.hostname,
        label: row.label,
        approvedAt: row.approved_at === null ? null : Number(row.approved_at),
      })),
  };
}
