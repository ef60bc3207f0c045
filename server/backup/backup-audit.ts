/**
 * Each backup run is an audited act: `backup.created` (or `failed`) in the store backed up, and
 * `backup.restored` as the first row the restored store adds to its chain, so the chain that
 * verifies after a restore also says when and from which archive it was restored.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import { loadServerKey, SANDBOX_KEY_FILE } from '../secrets/server-key.js';
import { GroupCommitter } from '../store/group-commit.js';
import { openDatabase } from '../store/open-database.js';
import type { BackupSource } from './create-backup.js';

export type BackupAuditDetails = Record<string, string | number | boolean | null>;

export function auditBackupRun(committer: GroupCommitter, actor: Actor, outcome: 'ok' | 'failed', details: BackupAuditDetails, now: number): Promise<void> {
  return committer.submit((trx) =>
    appendAudit(trx, { event: 'backup.created', outcome, actor: actor.name, agentId: actor.agentId, sourceAddress: actor.sourceAddress, details }, now),
  );
}

/**
 * Appends `backup.restored` to the restored store (opening it brings its schema up to date, as the
 * server's start would). Answers false when there is no server key to chain it with: outside the
 * sandbox the configured one, in the sandbox the key file the archive restored.
 */
export async function auditRestore(
  target: BackupSource,
  serverKey: Buffer | undefined,
  actor: Actor,
  details: BackupAuditDetails,
  now: number,
): Promise<boolean> {
  if (serverKey === undefined && !fs.existsSync(path.join(target.dataDir, SANDBOX_KEY_FILE))) return false;
  const key = loadServerKey(serverKey, target.dataDir).key;
  const database = await openDatabase(target.dataDir, target.databaseUrl);
  try {
    const committer = new GroupCommitter(database.db, { auditKey: key });
    await committer.submit((trx) =>
      appendAudit(
        trx,
        { event: 'backup.restored', outcome: 'ok', actor: actor.name, agentId: actor.agentId, sourceAddress: actor.sourceAddress, details },
        now,
      ),
    );
    await committer.close();
  } finally {
    await database.close();
  }
  return true;
}
