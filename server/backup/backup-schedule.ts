/**
 * The daily backup: a durable job of the runner (`backup.daily`, one waiting at a time by its
 * dedupe key, so across replicas it runs once) that schedules the next day's run in its own
 * transaction and, once that committed, makes an archive (create-backup.ts), keeps the newest
 * `retain`, audits the run (`backup.created`, ok or failed, by `system`) and shows it in /metrics.
 * A run never throws at the runner: a failure is the audit row, the failed counter and the log.
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Actor } from '../audit/actor.js';
import { jobKind } from '../jobs/job-kind.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import { auditBackupRun } from './backup-audit.js';
import { listBackups, pruneBackups } from './backup-archives.js';
import { createBackup } from './create-backup.js';
import type { BackupSource, BackupSummary } from './create-backup.js';

export const BACKUP_DAILY = 'backup.daily';
export const DAY_MS = 24 * 60 * 60 * 1000;
const SYSTEM: Actor = { name: 'system', agentId: null, sourceAddress: null };

export interface BackupScheduleDeps {
  readonly source: BackupSource;
  readonly backupDir: string;
  readonly backupKey: Buffer;
  /** Archives kept (SPORTELLO_BACKUP_RETAIN). */
  readonly retain: number;
  readonly committer: GroupCommitter;
  readonly metrics: Pick<ServerMetrics, 'backupRuns' | 'backupLastSuccess' | 'backupLastBytes' | 'backupArchivesKept'>;
  readonly log: Logger;
  readonly now: () => number;
}

export class BackupSchedule {
  readonly #deps: BackupScheduleDeps;
  readonly #everyMs: number;
  #jobs: Pick<JobRunner, 'schedule'> | undefined;
  #running: Promise<BackupSummary | undefined> | undefined;

  constructor(deps: BackupScheduleDeps, options: { everyMs?: number } = {}) {
    this.#deps = deps;
    this.#everyMs = options.everyMs ?? DAY_MS;
  }

  kind() {
    return jobKind({
      kind: BACKUP_DAILY,
      payload: z.object({}).strict(),
      // A day's backup missed by a crash is made at the next start's run, not retried at once.
      maxAttempts: 1,
      run: async (context) => {
        await this.#scheduleNext(context.trx, context.now + this.#everyMs);
        context.afterCommit(() => void this.runOnce());
      },
    });
  }

  /** Gives the backup its waiting job: a store that has one keeps it (a restart does not move the day's backup). */
  async start(jobs: Pick<JobRunner, 'schedule'>, now: number): Promise<void> {
    this.#jobs = jobs;
    await this.#deps.committer.submit((trx) => this.#scheduleNext(trx, now + this.#everyMs));
  }

  async #scheduleNext(trx: StoreTransaction, dueAt: number): Promise<void> {
    if (this.#jobs === undefined) throw new Error('the backup schedule was not started');
    await this.#jobs.schedule(trx, { kind: BACKUP_DAILY, dueAt, payload: {}, dedupeKey: BACKUP_DAILY });
  }

  /** One run (one at a time): the archive, the retention, the audit row and the metrics. */
  runOnce(): Promise<BackupSummary | undefined> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(): Promise<BackupSummary | undefined> {
    const { metrics, log, committer, now } = this.#deps;
    try {
      const summary = await createBackup({ source: this.#deps.source, backupDir: this.#deps.backupDir, backupKey: this.#deps.backupKey, now: now() });
      const removed = pruneBackups(this.#deps.backupDir, this.#deps.retain);
      await auditBackupRun(
        committer,
        SYSTEM,
        'ok',
        { archive: summary.name, parts: summary.parts, bytes: summary.bytes, removed: removed.length, trigger: 'schedule' },
        now(),
      );
      metrics.backupRuns.inc({ outcome: 'ok' });
      metrics.backupLastSuccess.set(summary.createdAt / 1000);
      metrics.backupLastBytes.set(summary.bytes);
      metrics.backupArchivesKept.set(listBackups(this.#deps.backupDir).length);
      log.info({ archive: summary.name, bytes: summary.bytes, removed: removed.length }, 'backup made');
      return summary;
    } catch (error) {
      metrics.backupRuns.inc({ outcome: 'failed' });
      log.error({ err: error }, 'backup failed');
      const code = (error as { code?: unknown }).code;
      await auditBackupRun(committer, SYSTEM, 'failed', { code: typeof code === 'string' ? code : 'internal', trigger: 'schedule' }, now()).catch(
        (auditError: unknown) => log.error({ err: auditError }, 'the failed backup could not be audited'),
      );
      return undefined;
    }
  }
}
