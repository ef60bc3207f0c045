/**
 * The audit log: append-only, each row chained to the one before by a SHA-256 hash over its
 * content and the previous hash, so editing or deleting a row breaks the chain from there on.
 * Rows are appended inside the transaction of the act they record (the group committer is the
 * only writer, so "the last hash" is read and extended atomically).
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEntryView, AuditVerification } from '../../common/api/admin.js';
import type { Actor } from '../devices/actor.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { AuditRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'ok' | 'refused' | 'failed';

/** Who acted: "agent:7", "cli:alice", "device:3", "system". */
export type AuditActor = string;

export interface AuditEntry {
  readonly event: string;
  readonly outcome: AuditOutcome;
  readonly actor: AuditActor;
  readonly agentId?: number | null;
  readonly deviceId?: number | null;
  readonly sourceAddress?: string | null;
  /** Facts about the act: never a secret, token, code, password or message text. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

type ChainedFields = Pick<AuditRow, 'at' | 'event' | 'outcome' | 'actor' | 'agent_id' | 'device_id' | 'source_address' | 'details_json' | 'prev_hash'>;

export function auditRowHash(row: ChainedFields): string {
  const canonical = JSON.stringify([row.prev_hash, row.at, row.event, row.outcome, row.actor, row.agent_id, row.device_id, row.source_address, row.details_json]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

export async function appendAudit(trx: StoreTransaction, entry: AuditEntry, now: number): Promise<void> {
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const fields: ChainedFields = {
    at: now,
    event: entry.event,
    outcome: entry.outcome,
    actor: entry.actor,
    agent_id: entry.agentId ?? null,
    device_id: entry.deviceId ?? null,
    source_address: entry.sourceAddress ?? null,
    details_json: JSON.stringify(entry.details ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx.insertInto('audit_log').values({ ...fields, hash: auditRowHash(fields) }).execute();
}

/** Recomputes the whole chain in id order; names the first row that does not fit. */
export async function verifyAuditChain(db: Kysely<InboxDatabase>): Promise<AuditVerification> {
  const BATCH = 1000;
  let previous = GENESIS_HASH;
  let rows = 0;
  let afterId = 0;
  for (;;) {
    const batch = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(BATCH).execute();
    for (const row of batch) {
      rows += 1;
      if (row.prev_hash !== previous) {
        return { ok: false, rows, headHash: null, firstBrokenId: row.id, problem: `row ${row.id} does not follow the row before it: a row was removed or changed` };
      }
      if (auditRowHash(row) !== row.hash) {
        return { ok: false, rows, headHash: null, firstBrokenId: row.id, problem: `row ${row.id} was changed after it was written` };
      }
      previous = row.hash;
      afterId = row.id;
    }
    if (batch.length < BATCH) break;
  }
  return { ok: true, rows, headHash: rows === 0 ? null : previous, firstBrokenId: null, problem: null };
}

/** Verifies the chain and records who did: verifying is an admin act (the API and the CLI alike). */
export async function verifyAndRecordAuditChain(db: Kysely<InboxDatabase>, committer: GroupCommitter, actor: Actor, now: number): Promise<AuditVerification> {
  const result = await verifyAuditChain(db);
  await committer.submit((trx) =>
    appendAudit(
      trx,
      { event: 'audit.verified', outcome: result.ok ? 'ok' : 'failed', actor: actor.name, agentId: actor.agentId, sourceAddress: actor.sourceAddress, details: { rows: result.rows, firstBrokenId: result.firstBrokenId } },
      now,
    ),
  );
  return result;
}

export interface AuditQuery {
  readonly before?: number | undefined;
  readonly limit: number;
  readonly event?: string | undefined;
}

export async function listAudit(db: Kysely<InboxDatabase>, query: AuditQuery): Promise<AuditRow[]> {
  let select = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  if (query.event !== undefined) select = select.where('event', '=', query.event);
  return select.execute();
}

/** A row as the API and the CLI show it. */
export function auditEntryView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    event: row.event,
    outcome: row.outcome,
    actor: row.actor,
    agentId: row.agent_id,
    deviceId: row.device_id,
    sourceAddress: row.source_address,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
  };
}
