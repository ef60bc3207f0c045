/**
 * Sessions: opaque random tokens, stored only as hashes. An access token lives 15 minutes; the
 * refresh token (device sessions only) is replaced at every use and stops at the login's absolute
 * end; a replaced one presented again ends the session (`refresh_reused`). Every request
 * re-reads the session, its agent and its device, so a revocation takes effect on the next
 * request, not at expiry.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoreTransaction } from '../store/group-commit.js';
import type { Role, TeamScope } from '../../common/api/session.js';
import { rolesOf } from '../store/agent-roles.js';
import type { SessionKind } from '../store/identity-schema.js';
import { teamScopeOf } from './team-scope.js';
import type { InboxDatabase } from '../store/schema.js';

export const ACCESS_TTL_MS = 15 * 60 * 1000;

export type SessionEndReason =
  'logged_out' | 'device_revoked' | 'agent_disabled' | 'totp_reset' | 'key_replaced' | 'refresh_reused' | 'expired' | 'agent_locked' | 'ended_by_admin';

export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url');
}

function newToken(prefix: 'sa_' | 'sr_' | 'sp_'): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}

export interface IssuedTokens {
  readonly sessionId: number;
  readonly accessToken: string;
  readonly accessExpiresAt: number;
  readonly refreshToken: string | null;
  readonly expiresAt: number;
}

export async function openSession(
  trx: StoreTransaction,
  input: { kind: SessionKind; agentId: number; deviceId: number | null; sourceAddress: string; lifetimeMs: number; csrfHash?: string; now: number },
): Promise<IssuedTokens> {
  const { now } = input;
  const expiresAt = now + input.lifetimeMs;
  const accessToken = newToken(input.kind === 'device' ? 'sa_' : 'sp_');
  const refreshToken = input.kind === 'device' ? newToken('sr_') : null;
  const accessExpiresAt = Math.min(now + ACCESS_TTL_MS, expiresAt);
  const row = await trx
    .insertInto('sessions')
    .values({
      kind: input.kind,
      agent_id: input.agentId,
      device_id: input.deviceId,
      access_hash: tokenHash(accessToken),
      access_expires_at: accessExpiresAt,
      refresh_hash: refreshToken === null ? null : tokenHash(refreshToken),
      expires_at: expiresAt,
      csrf_hash: input.csrfHash ?? null,
      source_address: input.sourceAddress,
      created_at: now,
      last_used_at: now,
      ended_at: null,
      end_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { sessionId: row.id, accessToken, accessExpiresAt, refreshToken, expiresAt };
}

/**
 * New access and refresh tokens for a live session. The replaced refresh token is kept (as its
 * hash, until the session's absolute end) so that presenting it again is recognised as a reuse;
 * rows of sessions past their end are dropped here.
 */
export async function rotateSession(
  trx: StoreTransaction,
  input: { sessionId: number; expiresAt: number; replacedRefreshHash: string; now: number },
): Promise<Omit<IssuedTokens, 'expiresAt'>> {
  const { sessionId, expiresAt, now } = input;
  const accessToken = newToken('sa_');
  const refreshToken = newToken('sr_');
  const accessExpiresAt = Math.min(now + ACCESS_TTL_MS, expiresAt);
  await trx
    .updateTable('sessions')
    .set({ access_hash: tokenHash(accessToken), access_expires_at: accessExpiresAt, refresh_hash: tokenHash(refreshToken), last_used_at: now })
    .where('id', '=', sessionId)
    .execute();
  await trx.deleteFrom('retired_refresh_tokens').where('expires_at', '<=', now).execute();
  await trx
    .insertInto('retired_refresh_tokens')
    .values({ token_hash: input.replacedRefreshHash, session_id: sessionId, expires_at: expiresAt, retired_at: now })
    .execute();
  return { sessionId, accessToken, accessExpiresAt, refreshToken };
}

/** The session a replaced refresh token belonged to, if that token is one. */
export async function sessionOfRetiredRefreshToken(trx: StoreTransaction, refreshHash: string): Promise<number | undefined> {
  const row = await trx.selectFrom('retired_refresh_tokens').select('session_id').where('token_hash', '=', refreshHash).executeTakeFirst();
  return row?.session_id;
}

export type SessionScope = { sessionId: number } | { deviceId: number } | { agentId: number };

/** Ends every live session in scope; returns their ids (for closing their sockets). */
export async function endSessions(trx: StoreTransaction, scope: SessionScope, reason: SessionEndReason, now: number): Promise<number[]> {
  let update = trx.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('ended_at', 'is', null);
  if ('sessionId' in scope) update = update.where('id', '=', scope.sessionId);
  else if ('deviceId' in scope) update = update.where('device_id', '=', scope.deviceId);
  else update = update.where('agent_id', '=', scope.agentId);
  const rows = await update.returning('id').execute();
  return rows.map((row) => row.id);
}

/** What a valid access token stands for, as its agent's roles and teams are now (a conversation viewer). */
export interface SessionPrincipal extends TeamScope {
  readonly sessionId: number;
  readonly kind: SessionKind;
  readonly agentId: number;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly deviceId: number | null;
  readonly expiresAt: number;
}

export type SessionCheck =
  | { readonly ok: true; readonly principal: SessionPrincipal }
  | { readonly ok: false; readonly code: 'session_invalid' | 'session_expired' | 'device_revoked' | 'device_not_active' | 'agent_disabled' | 'agent_reset' };

/** The session behind an access token, checked against its agent and device as they are now. */
export async function checkAccessToken(db: Kysely<InboxDatabase>, token: string, now: number): Promise<SessionCheck> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('agents', 'agents.id', 'sessions.agent_id')
    .leftJoin('devices', 'devices.id', 'sessions.device_id')
    .select([
      'sessions.id as session_id',
      'sessions.kind',
      'sessions.agent_id',
      'sessions.device_id',
      'sessions.access_expires_at',
      'sessions.expires_at',
      'sessions.ended_at',
      'sessions.end_reason',
      'agents.username',
      'agents.display_name',
      'agents.roles',
      'agents.status as agent_status',
      'devices.status as device_status',
    ])
    .where('sessions.access_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (row === undefined) return { ok: false, code: 'session_invalid' };
  if (row.kind === 'device' && row.device_status === 'revoked') return { ok: false, code: 'device_revoked' };
  if (row.ended_at !== null) {
    if (row.end_reason === 'device_revoked' || row.end_reason === 'agent_disabled') return { ok: false, code: row.end_reason };
    // Named, so a workstation that was offline as it happened erases what it kept of the agent.
    if (row.end_reason === 'totp_reset') return { ok: false, code: 'agent_reset' };
    return { ok: false, code: 'session_invalid' };
  }
  if (row.access_expires_at <= now || row.expires_at <= now) return { ok: false, code: 'session_expired' };
  if (row.agent_status !== 'active') return { ok: false, code: 'agent_disabled' };
  if (row.kind === 'device' && row.device_status !== 'active') return { ok: false, code: 'device_not_active' };
  const teams = await teamScopeOf(db, row.agent_id);
  return {
    ok: true,
    principal: {
      ...teams,
      sessionId: row.session_id,
      kind: row.kind,
      agentId: row.agent_id,
      username: row.username,
      displayName: row.display_name,
      roles: rolesOf(row.roles),
      deviceId: row.device_id,
      expiresAt: row.expires_at,
    },
  };
}
