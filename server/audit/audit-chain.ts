/**
 * The audit log's hash chain: how each row's hash is computed, and the check that recomputes the
 * chain. A row's hash covers its content and the previous row's hash, so editing a row or
 * removing one in the middle breaks the chain from there on.
 *
 * Rows are keyed (chain version 2): the hash is an HMAC under a key derived from the server key,
 * so someone who can write the database but does not hold SPORTELLO_SERVER_KEY cannot recompute
 * it. Rows written before the chain was keyed (migration 0010) keep their plain SHA-256 (version
 * 1) and are checked as they were written; one is accepted only before the first keyed row.
 * Removing the newest rows leaves a chain that holds: only a checkpoint kept outside the store
 * (audit-checkpoint.ts) shows it.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditCheckpoint, AuditVerification } from '../../common/api/admin.js';
import type { AuditChainKey } from '../store/group-commit.js';
import type { AuditRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';

export const GENESIS_HASH = '0'.repeat(64);

export const UNKEYED_CHAIN_VERSION = 1;
export const KEYED_CHAIN_VERSION = 2;

export type ChainedFields = Pick<
  AuditRow,
  'at' | 'event' | 'outcome' | 'actor' | 'agent_id' | 'device_id' | 'source_address' | 'details_json' | 'prev_hash' | 'chain_version'
>;

const contentOf = (row: ChainedFields) => [
  row.prev_hash,
  row.at,
  row.event,
  row.outcome,
  row.actor,
  row.agent_id,
  row.device_id,
  row.source_address,
  row.details_json,
];

/** The hash a row of `row.chain_version` must carry; undefined for a version this server does not know. */
export function auditRowHash(key: AuditChainKey, row: ChainedFields): string | undefined {
  if (row.chain_version === KEYED_CHAIN_VERSION) return key.auditHmac('audit row', JSON.stringify([KEYED_CHAIN_VERSION, ...contentOf(row)]));
  if (row.chain_version === UNKEYED_CHAIN_VERSION)
    return crypto
      .createHash('sha256')
      .update(JSON.stringify(contentOf(row)))
      .digest('hex');
  return undefined;
}

interface Broken {
  readonly firstBrokenId: number | null;
  readonly problem: string;
}

/** What is wrong with `row` following `previous`, or undefined when it fits. */
function rowProblem(key: AuditChainKey, row: AuditRow, previous: string, keyedSeen: boolean): Broken | undefined {
  const hash = auditRowHash(key, row);
  if (hash === undefined) return { firstBrokenId: row.id, problem: `row ${row.id} names chain version ${row.chain_version}, which this server does not know` };
  if (row.chain_version === UNKEYED_CHAIN_VERSION && keyedSeen) {
    return { firstBrokenId: row.id, problem: `row ${row.id} is unkeyed but follows a keyed row: it was rewritten without the server key` };
  }
  if (row.prev_hash !== previous) return { firstBrokenId: row.id, problem: `row ${row.id} does not follow the row before it: a row was removed or changed` };
  if (hash !== row.hash) return { firstBrokenId: row.id, problem: `row ${row.id} was changed after it was written` };
  return undefined;
}

const plural = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;

/** What the store lacks of what `checkpoint` saw, given the chain as verified; undefined when it holds all of it. */
function checkpointProblem(
  checkpoint: AuditCheckpoint,
  found: { position: number; hash: string } | undefined,
  rows: number,
  lastId: number,
): Broken | undefined {
  if (checkpoint.headId === null) return undefined;
  const when = new Date(checkpoint.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const counted = `the checkpoint written ${when} counted ${plural(checkpoint.rows, 'row')}, up to row ${checkpoint.headId}`;
  if (found === undefined) {
    return {
      firstBrokenId: null,
      problem: `the newest rows were removed: ${counted}; the store holds ${plural(rows, 'row')}${rows === 0 ? '' : `, up to row ${lastId}`}`,
    };
  }
  if (found.hash !== checkpoint.headHash)
    return { firstBrokenId: checkpoint.headId, problem: `row ${checkpoint.headId} is not the row ${counted}: the chain was rewritten` };
  if (found.position !== checkpoint.rows) {
    return {
      firstBrokenId: checkpoint.headId,
      problem: `rows before row ${checkpoint.headId} were removed: ${counted}, the store has ${plural(found.position, 'row')} up to it`,
    };
  }
  return undefined;
}

/**
 * Recomputes the whole chain in id order and names the first row that does not fit. With a
 * checkpoint, also checks that the store still holds the row the checkpoint ended at, with the
 * same hash and as many rows up to it.
 */
export async function verifyAuditChain(db: Kysely<InboxDatabase>, key: AuditChainKey, checkpoint?: AuditCheckpoint): Promise<AuditVerification> {
  const BATCH = 1000;
  let previous = GENESIS_HASH;
  let rows = 0;
  let unkeyedRows = 0;
  let afterId = 0;
  let keyedSeen = false;
  let atCheckpoint: { position: number; hash: string } | undefined;
  const failed = (broken: Broken): AuditVerification => ({ ok: false, rows, unkeyedRows, headHash: null, ...broken, checkpoint: checkpoint ?? null });
  for (;;) {
    const batch = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(BATCH).execute();
    for (const row of batch) {
      rows += 1;
      const broken = rowProblem(key, row, previous, keyedSeen);
      if (broken !== undefined) return failed(broken);
      if (row.chain_version === KEYED_CHAIN_VERSION) keyedSeen = true;
      else unkeyedRows += 1;
      if (row.id === checkpoint?.headId) atCheckpoint = { position: rows, hash: row.hash };
      previous = row.hash;
      afterId = row.id;
    }
    if (batch.length < BATCH) break;
  }
  const lost = checkpoint === undefined ? undefined : checkpointProblem(checkpoint, atCheckpoint, rows, afterId);
  if (lost !== undefined) return failed(lost);
  return { ok: true, rows, unkeyedRows, headHash: rows === 0 ? null : previous, firstBrokenId: null, problem: null, checkpoint: checkpoint ?? null };
}
