/**
 * The periodic rescan (issue 13, `attachments.rescanEveryHours`): signatures arrive after files
 * do, so a file clean today may be found infected tomorrow. A durable job of the runner
 * (`media.rescan`) marks, in its own transaction, every stored file that is `clean` or `unscanned`
 * as due (`rescan_due`, migration 0027) and schedules the next rescan; after it commits, the
 * rescanner tells clamd to RELOAD its signatures and judges each due file again (media-scans.ts).
 * One found infected is quarantined, audited and counted, and its messages' `message` events tell
 * the workstations, whose caches drop their copy. A rescan cut short by a stop resumes at start
 * from the marks.
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import { jobKind } from './job-kind.js';
import type { JobRunner } from './job-runner.js';
import type { Kysely } from 'kysely';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { MediaScans } from '../media/media-scans.js';

export const MEDIA_RESCAN = 'media.rescan';
const HOUR_MS = 60 * 60 * 1000;
const BATCH = 50;

export class MediaRescanner {
  readonly #scans: MediaScans;
  readonly #committer: GroupCommitter;
  readonly #db: Kysely<InboxDatabase>;
  readonly #policy: () => Promise<SafetyPolicy>;
  readonly #log: Logger;
  /** The interval the next job is scheduled with: the policy's, as last read. */
  #everyHours = 24;
  #run: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(deps: { db: Kysely<InboxDatabase>; scans: MediaScans; committer: GroupCommitter; policy: () => Promise<SafetyPolicy>; log: Logger }) {
    this.#db = deps.db;
    this.#scans = deps.scans;
    this.#committer = deps.committer;
    this.#policy = deps.policy;
    this.#log = deps.log;
  }

  /** The job kind the server registers: marks the files due and schedules the next rescan, then wakes the rescanner. */
  kind() {
    return jobKind({
      kind: MEDIA_RESCAN,
      payload: z.object({}).strict(),
      run: async (context) => {
        await markDue(context.trx);
        await this.#scheduleNext(context.trx, context.now + this.#everyHours * HOUR_MS);
        context.afterCommit(() => this.wake());
      },
    });
  }

  #jobs: Pick<JobRunner, 'schedule'> | undefined;

  /** Gives the rescan its waiting job (once; the dedupe key keeps one) and resumes a rescan a stop cut short. */
  async start(jobs: Pick<JobRunner, 'schedule'>, now: number): Promise<void> {
    this.#jobs = jobs;
    this.#stopped = false;
    this.#everyHours = (await this.#policy()).attachments.rescanEveryHours;
    await this.#committer.submit((trx) => this.#scheduleNext(trx, now + this.#everyHours * HOUR_MS));
    this.wake();
  }

  async #scheduleNext(trx: StoreTransaction, dueAt: number): Promise<void> {
    if (this.#jobs === undefined) throw new Error('the rescanner was not started');
    await this.#jobs.schedule(trx, { kind: MEDIA_RESCAN, dueAt, payload: {}, dedupeKey: MEDIA_RESCAN });
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#run !== undefined) {
      this.#again = true;
      return;
    }
    this.#run = this.#rescan()
      .catch((error: unknown) => this.#log.error({ err: error }, 'the rescan of stored files failed; it resumes at its next wake'))
      .finally(() => {
        this.#run = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Starts nothing more; resolves once the file being judged is recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#run;
  }

  /** Resolves when no rescan is running (tests). */
  async settled(): Promise<void> {
    while (this.#run !== undefined) await this.#run;
  }

  async #rescan(): Promise<void> {
    this.#everyHours = (await this.#policy()).attachments.rescanEveryHours;
    const db = this.#db;
    const due = () => db.selectFrom('media').select('id').where('rescan_due', '=', 1).orderBy('id').limit(BATCH).execute();
    let batch = await due();
    if (batch.length === 0) return;
    if (!(await this.#scans.scanner.reload())) {
      // No scanner: nothing can be found infected; the marks are cleared until there is one.
      await this.#committer.submit((trx) => trx.updateTable('media').set({ rescan_due: 0 }).where('rescan_due', '=', 1).execute());
      return;
    }
    let rescanned = 0;
    let quarantined = 0;
    while (batch.length > 0 && !this.#stopped) {
      for (const { id } of batch) {
        if (this.#stopped) break;
        let state: string | undefined;
        try {
          state = await this.#scans.judge(id, 'rescan');
        } catch (error) {
          this.#log.error({ err: error, mediaId: id }, 'a stored file could not be rescanned; it is rescanned next time');
        }
        if (state === undefined) await this.#committer.submit((trx) => trx.updateTable('media').set({ rescan_due: 0 }).where('id', '=', id).execute());
        rescanned += 1;
        if (state === 'infected') quarantined += 1;
      }
      batch = await due();
    }
    this.#log.info({ rescanned, quarantined }, 'stored files rescanned');
  }
}

async function markDue(trx: StoreTransaction): Promise<void> {
  await trx.updateTable('media').set({ rescan_due: 1 }).where('state', '=', 'stored').where('scan_state', 'in', ['clean', 'unscanned']).execute();
}
