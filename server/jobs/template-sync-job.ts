/**
 * The scheduled sync of message templates from Meta (server/templates/template-sync.ts): a durable
 * job of the runner (`templates.sync`) that schedules the next sync in its own transaction and
 * starts this one once it committed, as the media rescan does. One waiting job at a time (its
 * dedupe key); the first sync runs as the server starts.
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { TemplateSyncer } from '../templates/template-sync.js';
import { jobKind } from './job-kind.js';
import type { JobRunner } from './job-runner.js';

export const TEMPLATES_SYNC = 'templates.sync';
export const DEFAULT_TEMPLATE_SYNC_EVERY_MS = 60 * 60 * 1000;

export class TemplateSyncSchedule {
  readonly #syncer: TemplateSyncer;
  readonly #everyMs: number;
  readonly #log: Logger;
  #jobs: Pick<JobRunner, 'schedule'> | undefined;

  constructor(deps: { syncer: TemplateSyncer; log: Logger }, options: { everyMs?: number } = {}) {
    this.#syncer = deps.syncer;
    this.#log = deps.log;
    this.#everyMs = options.everyMs ?? DEFAULT_TEMPLATE_SYNC_EVERY_MS;
  }

  /** The job kind the server registers: schedules the next sync, then syncs once committed. */
  kind() {
    return jobKind({
      kind: TEMPLATES_SYNC,
      payload: z.object({}).strict(),
      run: async (context) => {
        await this.#scheduleNext(context.trx, context.now + this.#everyMs);
        context.afterCommit(() => void this.#sync());
      },
    });
  }

  /** Gives the sync its waiting job and syncs now, before the server answers: sends are judged on Meta's list from the start. */
  async start(jobs: Pick<JobRunner, 'schedule'>, committer: GroupCommitter, now: number): Promise<void> {
    this.#jobs = jobs;
    await committer.submit((trx) => this.#scheduleNext(trx, now + this.#everyMs));
    await this.#sync();
  }

  async #scheduleNext(trx: StoreTransaction, dueAt: number): Promise<void> {
    if (this.#jobs === undefined) throw new Error('the template sync was not started');
    await this.#jobs.schedule(trx, { kind: TEMPLATES_SYNC, dueAt, payload: {}, dedupeKey: TEMPLATES_SYNC });
  }

  /** A failure is recorded per account by the syncer; anything else is logged, never thrown at the runner. */
  async #sync(): Promise<void> {
    await this.#syncer.syncNow().catch((error: unknown) => this.#log.error({ err: error }, 'template sync failed'));
  }
}
