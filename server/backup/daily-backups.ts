/** The server's daily backup from its settings: made only when SPORTELLO_BACKUP_KEY and SPORTELLO_BACKUP_DIR are both set. */
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config/load-config.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { GroupCommitter } from '../store/group-commit.js';
import { BackupSchedule } from './backup-schedule.js';

export function dailyBackups(deps: {
  config: Pick<ServerConfig, 'backup' | 'dataDir' | 'databaseUrl'>;
  committer: GroupCommitter;
  metrics: ServerMetrics;
  log: Logger;
  now: () => number;
  everyMs?: number;
}): BackupSchedule | undefined {
  const backup = deps.config.backup;
  if (backup?.key === undefined || backup.dir === undefined) return undefined;
  return new BackupSchedule(
    {
      source: { dataDir: deps.config.dataDir, databaseUrl: deps.config.databaseUrl },
      backupDir: path.resolve(backup.dir),
      backupKey: backup.key,
      retain: backup.retain,
      committer: deps.committer,
      metrics: deps.metrics,
      log: deps.log,
      now: deps.now,
    },
    deps.everyMs === undefined ? {} : { everyMs: deps.everyMs },
  );
}
