/**
 * An administrative act and its audit row in one transaction: the act's work runs, then the row
 * that names who did it (server/audit/actor.ts) with the details the work answers, so an act is
 * never stored without its row nor a row without its act.
 */
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { Actor } from './actor.js';
import { appendAudit } from './audit-log.js';

export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditedWork<T> {
  readonly result: T;
  readonly details: AuditDetails;
}

export function commitAudited<T>(
  committer: GroupCommitter,
  actor: Actor,
  event: string,
  now: number,
  work: (trx: StoreTransaction, now: number) => Promise<AuditedWork<T>>,
): Promise<T> {
  return committer.submit(async (trx) => {
    const { result, details } = await work(trx, now);
    await appendAudit(trx, { event, outcome: 'ok', actor: actor.name, agentId: actor.agentId, sourceAddress: actor.sourceAddress, details }, now);
    return result;
  });
}
