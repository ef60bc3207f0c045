/**
 * Wakes snoozed conversations whose time has come, every few seconds, as the server runs its other
 * timed work (the numbers' refresh, the feed's poll): started when the server listens, stopped when
 * it closes. Each wake-up is `wakeSnoozedConversation` in a transaction of its own.
 *
 * Stands in for the durable job runner (issue 12's "jobs" slice), which is not on this branch: once
 * it is, a snooze schedules a job for its `until` that runs `wakeSnoozedConversation`, and this sweep
 * goes (server/app/inbox-server.ts starts it). What it does not do that a job runner will: it does
 * not wake a conversation at the very millisecond (up to one interval late), and it does not record
 * runs for supervisors to see.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { dueSnoozes, wakeSnoozedConversation } from './conversation-lifecycle.js';

export interface SnoozeSweepOptions {
  /** How often due snoozes are looked for. */
  readonly intervalMs?: number;
}

/** At most this many wake-ups per sweep: the rest wait for the next. */
const PER_SWEEP = 200;

export class SnoozeSweep {
  readonly #deps: { db: Kysely<InboxDatabase>; committer: GroupCommitter; log: Logger; now: () => number };
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(deps: { db: Kysely<InboxDatabase>; committer: GroupCommitter; log: Logger; now: () => number }, options: SnoozeSweepOptions = {}) {
    this.#deps = deps;
    this.#intervalMs = options.intervalMs ?? 5000;
  }

  start(): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.#deps.log.error({ err: error }, 'snoozed conversations could not be woken'));
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweeping?.catch(() => undefined);
  }

  /** Wakes what is due now; answers how many it woke. One sweep at a time. */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweep(): Promise<number> {
    const { db, committer, now } = this.#deps;
    let woken = 0;
    for (const conversationId of await dueSnoozes(db, now(), PER_SWEEP)) {
      if (await committer.submit((trx) => wakeSnoozedConversation(trx, conversationId, now()))) woken += 1;
    }
    return woken;
  }
}
