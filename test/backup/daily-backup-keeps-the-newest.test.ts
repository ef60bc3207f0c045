/**
 * The daily backup as the server runs it: a job of the real job runner on a real store, here
 * every 400 ms instead of every day. Each run makes an archive that verifies, keeps the newest
 * `retain`, appends `backup.created` by `system` to the audit chain, and counts in /metrics.
 */
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { listBackups, verifyBackup } from '../../server/backup/backup-archives.js';
import { BACKUP_DAILY } from '../../server/backup/backup-schedule.js';
import { dailyBackups } from '../../server/backup/daily-backups.js';
import { JobRunner } from '../../server/jobs/job-runner.js';
import { ServerMetrics } from '../../server/metrics/server-metrics.js';
import { inProcessSharedState } from '../../server/presence/in-process-state.js';
import { loadServerKey } from '../../server/secrets/server-key.js';
import { GroupCommitter } from '../../server/store/group-commit.js';
import { openDatabase } from '../../server/store/open-database.js';
import { startServerProcess, stopServerProcess } from '../helpers/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE, testDatabaseUrl } from '../helpers/test-store.js';
import { newBackupKey } from './backup-cli.js';

describe(`the daily backup (${TEST_STORE})`, () => {
  const data = makeTempDir('sportello-daily-data-');
  const archives = makeTempDir('sportello-daily-archives-');
  afterAll(() => [data, archives].forEach((dir) => dir.remove()));

  it('runs as a job, keeps the newest archives, audits each run and shows it in /metrics', { timeout: 60_000 }, async () => {
    const databaseUrl = await testDatabaseUrl(data.dir);
    const database = await openDatabase(data.dir, databaseUrl);
    const serverKey = loadServerKey(undefined, data.dir).key;
    const committer = new GroupCommitter(database.db, { auditKey: serverKey });
    const metrics = new ServerMetrics();
    const log = pino({ level: 'silent' });
    const jobs = new JobRunner({ db: database.db, committer, wakeups: inProcessSharedState().wakeups, metrics, log }, { pollMs: 50 });
    const backupKey = Buffer.from(newBackupKey(), 'base64');
    const backups = dailyBackups({
      config: { dataDir: data.dir, databaseUrl, backup: { key: backupKey, dir: archives.dir, retain: 2 } },
      committer,
      metrics,
      log,
      now: Date.now,
      everyMs: 400,
    });
    expect(backups).toBeDefined();
    jobs.register(backups!.kind());
    try {
      await backups!.start(jobs, Date.now());
      // A second start (a restart, another replica) keeps the one waiting job.
      await backups!.start(jobs, Date.now());
      const waiting = await database.db.selectFrom('jobs').select('id').where('kind', '=', BACKUP_DAILY).where('state', '=', 'waiting').execute();
      expect(waiting).toHaveLength(1);
      jobs.start();
      const audited = async () =>
        database.db.selectFrom('audit_log').select(['event', 'outcome', 'actor', 'details_json']).where('event', '=', 'backup.created').execute();
      while ((await audited()).length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
      await jobs.stop();
      await backups!.runOnce();
      const rows = await audited();
      expect(rows.every((row) => row.outcome === 'ok' && row.actor === 'system')).toBe(true);
      expect(JSON.parse(rows[2]!.details_json)).toMatchObject({ trigger: 'schedule', removed: 1 });
      const kept = listBackups(archives.dir);
      expect(kept).toHaveLength(2);
      for (const entry of kept) await verifyBackup(entry.path, backupKey);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(new RegExp(`sportello_backup_runs_total\\{outcome="ok"\\} ${rows.length}\\n`));
      expect(text).toMatch(/sportello_backup_archives 2\n/);
      expect(text).toMatch(/sportello_backup_last_success_timestamp_seconds \d{10}/);
    } finally {
      await jobs.stop();
      await committer.close();
      await database.close();
    }
  });

  it('is scheduled by the server when SPORTELLO_BACKUP_KEY and SPORTELLO_BACKUP_DIR are set, once however often it starts', { timeout: 60_000 }, async () => {
    const dir = makeTempDir('sportello-daily-server-');
    const credentials = { appSecret: 'daily-backup-app-secret-0123456789', verifyToken: 'daily-backup-verify' };
    const env = { SPORTELLO_BACKUP_KEY: newBackupKey(), SPORTELLO_BACKUP_DIR: archives.dir, SPORTELLO_BACKUP_RETAIN: '3' };
    try {
      for (let start = 0; start < 2; start++) {
        const server = await startServerProcess(dir.dir, { ...credentials, env });
        await stopServerProcess(server);
      }
      const database = await openDatabase(dir.dir, await testDatabaseUrl(dir.dir));
      try {
        const waiting = await database.db.selectFrom('jobs').select('due_at').where('kind', '=', BACKUP_DAILY).where('state', '=', 'waiting').execute();
        expect(waiting).toHaveLength(1);
        expect(waiting[0]!.due_at).toBeGreaterThan(Date.now() + 23 * 60 * 60 * 1000);
      } finally {
        await database.close();
      }
    } finally {
      dir.remove();
    }
  });
});
