/**
 * Writes checkpoints of the audit chain: at start, after every commit that appended audit rows
 * (coalesced, at most one write at a time and one a second), every few minutes, and at shutdown.
 *
 * A checkpoint never goes backwards: before writing, the store must still hold the row the last
 * checkpoint ended at, with the same hash, and at least as many rows. If it does not (rows were
 * removed, the chain rewritten, a backup restored, the file written under another key), the old
 * checkpoint is kept as evidence and the caller is told the problem instead; otherwise the next
 * checkpoint would quietly accept the removal.
 */
import type { Kysely } from 'kysely';
import type { AuditCheckpoint } from '../../common/api/admin.js';
import { isCodedError } from '../../common/errors/coded-error.js';
import type { AuditChainKey } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { readCheckpointFile, writeCheckpointFile } from './audit-checkpoint-file.js';

export type CheckpointOutcome =
  | { readonly kind: 'written' | 'unchanged'; readonly checkpoint: AuditCheckpoint }
  /** The store does not contain the last checkpoint: it was kept, and nothing was written. */
  | { readonly kind: 'refused'; readonly problem: string };

export interface CheckpointTarget {
  readonly db: Kysely<InboxDatabase>;
  readonly key: AuditChainKey;
  readonly file: string;
  readonly now: () => number;
}

/** The chain as the store holds it now. */
async function auditHead(db: Kysely<InboxDatabase>): Promise<Omit<AuditCheckpoint, 'at'>> {
  const counted = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('rows'))
    .executeTakeFirstOrThrow();
  const last = await db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return { rows: Number(counted.rows), headId: last?.id ?? null, headHash: last?.hash ?? null };
}

const keptBecause = (file: string, why: string) =>
  `the audit checkpoint ${file} ${why}. It is kept as it is: compare with \`audit verify --checkpoint ${file}\`, and move it away only once that is explained.`;

/** Writes a checkpoint of the chain to `target.file`, unless the store no longer contains the last one. */
export async function writeAuditCheckpoint(target: CheckpointTarget): Promise<CheckpointOutcome> {
  let previous;
  try {
    previous = readCheckpointFile(target.file, target.key);
  } catch (error) {
    if (!isCodedError(error)) throw error;
    return { kind: 'refused', problem: keptBecause(target.file, 'cannot be read as a checkpoint') };
  }
  if (previous !== undefined && !previous.sealed) {
    return {
      kind: 'refused',
      problem: keptBecause(target.file, "is not sealed with this server's key: it was edited, or written with another SPORTELLO_SERVER_KEY"),
    };
  }
  const head = await auditHead(target.db);
  const last = previous?.checkpoint;
  if (last?.headId != null) {
    const row = await target.db.selectFrom('audit_log').select('hash').where('id', '=', last.headId).executeTakeFirst();
    if (row === undefined) {
      return {
        kind: 'refused',
        problem: keptBecause(
          target.file,
          `names row ${last.headId}, which the store no longer holds: rows were removed since it was written (or this is another store)`,
        ),
      };
    }
    if (row.hash !== last.headHash || head.rows < last.rows) {
      return {
        kind: 'refused',
        problem: keptBecause(
          target.file,
          `names row ${last.headId} as the last of ${last.rows}, which the store no longer matches: the chain was rewritten or rows were removed`,
        ),
      };
    }
    if (head.headId === last.headId) return { kind: 'unchanged', checkpoint: last };
  }
  const checkpoint: AuditCheckpoint = { ...head, at: target.now() };
  writeCheckpointFile(target.file, target.key, checkpoint);
  return { kind: 'written', checkpoint };
}

export type CheckpointReason = 'start' | 'audit' | 'interval' | 'stop';

/** Hears each checkpoint's outcome (the server logs it), or the error that stopped it being written. */
export type CheckpointReport = (outcome: CheckpointOutcome | { readonly kind: 'failed'; readonly error: unknown }, reason: CheckpointReason) => void;

export interface AuditCheckpointerOptions {
  /** Between two checkpoints when nothing else asks for one. */
  readonly intervalMs?: number;
  /** At least this long between two writes asked for by commits. */
  readonly minGapMs?: number;
}

/** The server's checkpoints, on a timer and after audited commits; `report` hears every outcome (to log it). */
export class AuditCheckpointer {
  readonly #target: CheckpointTarget;
  readonly #report: CheckpointReport;
  readonly #intervalMs: number;
  readonly #minGapMs: number;
  #interval: NodeJS.Timeout | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #pending = false;
  #started = false;
  #stopped = false;
  #lastRunAt = 0;

  constructor(target: CheckpointTarget, report: CheckpointReport, options: AuditCheckpointerOptions = {}) {
    this.#target = target;
    this.#report = report;
    this.#intervalMs = options.intervalMs ?? 5 * 60_000;
    this.#minGapMs = options.minGapMs ?? 1000;
  }

  /** Checkpoints now, then every interval. */
  async start(): Promise<void> {
    this.#started = true;
    await this.#run('start');
    this.#interval = setInterval(() => void this.#runUnlessBusy('interval'), this.#intervalMs).unref();
  }

  /** Asks for a checkpoint soon: audit rows were committed. Before start, nothing: the checkpoint at start covers them. */
  poke(): void {
    if (!this.#started || this.#stopped) return;
    if (this.#timer !== undefined || this.#running !== undefined) {
      this.#pending = true;
      return;
    }
    const wait = Math.max(0, this.#lastRunAt + this.#minGapMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#runUnlessBusy('audit');
    }, wait);
  }

  /** Stops the timers and writes a last checkpoint (call while the store is still open, after its last commit). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#interval);
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running !== undefined) await this.#running;
    await this.#run('stop');
  }

  #runUnlessBusy(reason: CheckpointReason): Promise<void> {
    if (this.#running !== undefined) {
      this.#pending = true;
      return this.#running;
    }
    return this.#run(reason);
  }

  #run(reason: CheckpointReason): Promise<void> {
    const running = (async () => {
      try {
        this.#report(await writeAuditCheckpoint(this.#target), reason);
      } catch (error) {
        this.#report({ kind: 'failed', error }, reason);
      } finally {
        this.#lastRunAt = Date.now();
        this.#running = undefined;
      }
      if (this.#pending && !this.#stopped) {
        this.#pending = false;
        this.poke();
      }
    })();
    this.#running = running;
    return running;
  }
}
