/**
 * The audit log: append-only, each row chained to the one before by a keyed hash over its
 * content and the previous hash (audit-chain.ts), so editing or deleting a row breaks the chain
 * from there on. Rows are appended inside the transaction of the act they record; the group
 * committer is the only writer and holds the chain's key, so "the last hash" is read and
 * extended atomically with it.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AuditEntryView, AuditPage, AuditVerification } from '../../common/api/admin.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { auditScopeOf } from '../store/group-commit.js';
import { dialectOf } from '../store/sql-dialect.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { AuditRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Actor } from './actor.js';
import { auditRowHash, GENESIS_HASH, KEYED_CHAIN_VERSION, verifyAuditChain } from './audit-chain.js';
import type { ChainedFields } from './audit-chain.js';
import type { CheckpointRead } from './audit-checkpoint-file.js';

export { verifyAuditChain };

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

function chainKeyOf(trx: StoreTransaction) {
  const scope = auditScopeOf(trx);
  if (scope === undefined)
    throw new CodedError('audit_key_missing', 'An audit row can only be appended by a GroupCommitter that holds the audit chain key (the server key).');
  return scope;
}

/** The advisory lock key of audit appends ("SPAUDT" in ASCII). */
export const AUDIT_CHAIN_LOCK = 0x5350_4155_4454;

export async function appendAudit(trx: StoreTransaction, entry: AuditEntry, now: number): Promise<void> {
  const scope = chainKeyOf(trx);
  // Several replicas on PostgreSQL: one append at a time cluster-wide, until its transaction ends,
  // so each reads the head the previous one committed and the chain stays one chain (SQLite's
  // single writer already does this). The head is read after the lock (READ COMMITTED).
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK)})`.execute(trx);
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
    chain_version: KEYED_CHAIN_VERSION,
  };
  await trx
    .insertInto('audit_log')
    .values({ ...fields, hash: auditRowHash(scope.key, fields) ?? '' })
    .execute();
  scope.appended = true;
}

/**
 * Verifies the chain (against a checkpoint, when given) and records who did: verifying is an
 * admin act (the API and the CLI alike).
 */
export async function verifyAndRecordAuditChain(
  db: Kysely<InboxDatabase>,
  committer: GroupCommitter,
  actor: Actor,
  now: number,
  checkpoint?: CheckpointRead,
): Promise<AuditVerification> {
  const key = committer.auditKey;
  if (key === undefined) throw new CodedError('audit_key_missing', 'Verifying the audit chain needs the audit chain key (the server key).');
  let result = await verifyAuditChain(db, key, checkpoint?.sealed === true ? checkpoint.checkpoint : undefined);
  if (result.ok && checkpoint !== undefined && !checkpoint.sealed) {
    result = {
      ...result,
      ok: false,
      headHash: null,
      problem: `the checkpoint ${checkpoint.file} is not sealed with this server's key: it was edited, or written with another SPORTELLO_SERVER_KEY`,
      checkpoint: checkpoint.checkpoint,
    };
  }
  const details = {
    rows: result.rows,
    firstBrokenId: result.firstBrokenId,
    ...(checkpoint === undefined ? {} : { checkpointRows: checkpoint.checkpoint.rows }),
  };
  await committer.submit((trx) =>
    appendAudit(
      trx,
      { event: 'audit.verified', outcome: result.ok ? 'ok' : 'failed', actor: actor.name, agentId: actor.agentId, sourceAddress: actor.sourceAddress, details },
      now,
    ),
  );
  return result;
}

export interface AuditQuery {
  readonly before?: number | undefined;
  readonly limit: number;
  /** An event's name, or its first part (`device` for device.*). */
  readonly event?: string | undefined;
  /** Part of who acted, letters' case ignored. */
  readonly actor?: string | undefined;
  /** From (included) and until (left out), epoch milliseconds. */
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/** `text` as a LIKE pattern matching it literally anywhere (`\` escapes). */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export async function listAudit(db: Kysely<InboxDatabase>, query: AuditQuery): Promise<AuditRow[]> {
  let select = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  const { event, actor, from, to } = query;
  if (event !== undefined) {
    const group = `${event}.`;
    select = select.where((eb) => eb.or([eb('event', '=', event), sql<boolean>`substr(event, 1, ${group.length}) = ${group}`]));
  }
  if (actor !== undefined) select = select.where(sql<boolean>`lower(actor) like ${containing(actor)} escape '\\'`);
  if (from !== undefined) select = select.where('at', '>=', from);
  if (to !== undefined) select = select.where('at', '<', to);
  return select.execute();
}

/** A page of the log as the API serves it: the next page starts before its last row when it was full. */
export function auditPage(rows: readonly AuditRow[], limit: number): AuditPage {
  return { items: rows.map(auditEntryView), nextBefore: rows.length === limit ? (rows[rows.length - 1]?.id ?? null) : null };
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
