/**
 * Agent login on an active workstation: password + TOTP (or a recovery code) + the device's
 * proof. Failures are counted per agent (then the account locks until an admin unlocks it), per
 * device (a pause), and per source address (the HTTP rate limit); this login is the only one
 * that locks accounts, because the workstation it comes from is known. The answer never says which
 * factor failed or whether the username exists, and costs the same time either way. The factors
 * themselves are checked by the CredentialChecker the approval page shares.
 */
import type { Kysely } from 'kysely';
import type { ClientPolicy, LoginRequest, RefreshRequest, SessionGrant } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import { accountLockedError } from '../credentials/credential-check.js';
import type { CredentialChecker } from '../credentials/credential-check.js';
import { activeDeviceForProof, DeviceProofError, spendProofNonce } from '../devices/device-proofs.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import type { ServerKey } from '../secrets/server-key.js';
import { buildSessionGrant } from '../sessions/session-grant.js';
import { teamScopeOf } from '../sessions/team-scope.js';
import { endSessions, openSession, rotateSession, sessionOfRetiredRefreshToken, tokenHash } from '../sessions/session-store.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { DeviceRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';

/** Failed logins from one workstation within the window before it must pause. */
export const MAX_DEVICE_FAILURES = 10;
export const DEVICE_FAILURE_WINDOW_MS = 15 * 60 * 1000;

export interface LoginDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  /** Shared with the approval page, so both count failures and spend TOTP steps alike. */
  readonly credentials: CredentialChecker;
  readonly policy: ClientPolicy;
  readonly sessionLifetimeMs: number;
  readonly security: SecurityNotifier;
  readonly now: () => number;
}

export class LoginError extends CodedError {}

const loginFailed = () => new LoginError('login_failed', 'The username, password or code is not right.');

export class LoginService {
  readonly #deps: LoginDeps;

  constructor(deps: LoginDeps) {
    this.#deps = deps;
  }

  async login(request: LoginRequest, sourceAddress: string): Promise<SessionGrant> {
    const { username } = request;
    const device = await this.#deviceOrAudit(request, sourceAddress);
    const now = this.#deps.now();
    const audit = { event: 'login', actor: `device:${device.id}`, deviceId: device.id, sourceAddress };

    if (device.failed_logins >= MAX_DEVICE_FAILURES && (device.failed_logins_since ?? 0) > now - DEVICE_FAILURE_WINDOW_MS) {
      await this.#deps.committer.submit((trx) =>
        appendAudit(trx, { event: 'login.throttled', outcome: 'refused', actor: audit.actor, deviceId: device.id, sourceAddress, details: { username } }, now),
      );
      throw new LoginError('login_throttled', 'Too many failed logins from this workstation: wait 15 minutes and try again.', {
        retryAfterMs: DEVICE_FAILURE_WINDOW_MS,
      });
    }

    const credentials = this.#deps.credentials;
    const checked = await credentials.check(request, { now, lane: 'deviceLogin', source: `device:${device.id}` });
    if (checked.locked) {
      await this.#deps.committer.submit(async (trx) => {
        await spendProofNonce(trx, request.proof, now);
        await credentials.auditLocked(trx, checked, audit, now);
      });
      throw accountLockedError();
    }

    const outcome = await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, request.proof, now);
      return credentials.settle(trx, checked, {
        audit,
        now,
        onSuccess: async (agent) => {
          await trx.updateTable('devices').set({ failed_logins: 0, failed_logins_since: null, last_seen_at: now }).where('id', '=', device.id).execute();
          const tokens = await openSession(trx, {
            kind: 'device',
            agentId: agent.id,
            deviceId: device.id,
            sourceAddress,
            lifetimeMs: this.#deps.sessionLifetimeMs,
            now,
          });
          return { value: tokens, details: { sessionId: tokens.sessionId } };
        },
        onFailure: async () => {
          const windowFresh = (device.failed_logins_since ?? 0) > now - DEVICE_FAILURE_WINDOW_MS;
          await trx
            .updateTable('devices')
            .set((eb) => (windowFresh ? { failed_logins: eb('failed_logins', '+', 1) } : { failed_logins: 1, failed_logins_since: now }))
            .where('id', '=', device.id)
            .execute();
        },
      });
    });

    if (!outcome.ok) throw loginFailed();
    const teams = await teamScopeOf(this.#deps.db, outcome.agent.id);
    return buildSessionGrant({ tokens: outcome.value, agent: outcome.agent, teams, device, key: this.#deps.key, policy: this.#deps.policy, now });
  }

  /**
   * New tokens for a live session. A refresh token that was already replaced is a copy: whoever
   * presents it (with a proof or not), the session it belonged to ends, both tokens, audited.
   */
  async refresh(request: RefreshRequest, sourceAddress: string): Promise<SessionGrant> {
    const now = this.#deps.now();
    const refreshFailed = () => new LoginError('refresh_failed', 'This login has ended: log in again.');
    const presented = tokenHash(request.refreshToken);
    const session = await this.#deps.db.selectFrom('sessions').selectAll().where('refresh_hash', '=', presented).executeTakeFirst();
    if (session === undefined) {
      const ended = await this.#deps.committer.submit((trx) => this.#endReusedSession(trx, presented, sourceAddress, now));
      this.#notifyReuse(ended);
      throw refreshFailed();
    }
    if (session.kind !== 'device') throw refreshFailed();
    const device = await activeDeviceForProof(this.#deps.db, request.proof, 'refresh');
    if (device.id !== session.device_id) throw refreshFailed();
    const result = await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, request.proof, now);
      const current = await trx.selectFrom('sessions').selectAll().where('id', '=', session.id).executeTakeFirstOrThrow();
      // Replaced since it was read: a concurrent refresh with the same token won, so this one is a reuse.
      if (current.refresh_hash !== presented) return { kind: 'reused' as const, ended: await this.#endReusedSession(trx, presented, sourceAddress, now) };
      const agent = await trx.selectFrom('agents').selectAll().where('id', '=', session.agent_id).executeTakeFirstOrThrow();
      if (current.ended_at !== null || current.expires_at <= now || agent.status !== 'active') return undefined;
      await trx.updateTable('devices').set({ last_seen_at: now }).where('id', '=', device.id).execute();
      const tokens = await rotateSession(trx, { sessionId: current.id, expiresAt: current.expires_at, replacedRefreshHash: presented, now });
      return { kind: 'rotated' as const, tokens: { ...tokens, expiresAt: current.expires_at }, agent };
    });
    if (result?.kind === 'reused') this.#notifyReuse(result.ended);
    if (result?.kind !== 'rotated') throw refreshFailed();
    const teams = await teamScopeOf(this.#deps.db, result.agent.id);
    return buildSessionGrant({ tokens: result.tokens, agent: result.agent, teams, device, key: this.#deps.key, policy: this.#deps.policy, now });
  }

  /** Ends the session `refreshHash` was replaced in, if it was (audited each time one is presented); the ids of the sessions ended. */
  async #endReusedSession(trx: StoreTransaction, refreshHash: string, sourceAddress: string, now: number): Promise<number[]> {
    const sessionId = await sessionOfRetiredRefreshToken(trx, refreshHash);
    if (sessionId === undefined) return [];
    const session = await trx.selectFrom('sessions').select(['agent_id', 'device_id']).where('id', '=', sessionId).executeTakeFirstOrThrow();
    const ended = await endSessions(trx, { sessionId }, 'refresh_reused', now);
    await appendAudit(
      trx,
      {
        event: 'session.refresh_reused',
        outcome: 'refused',
        actor: `session:${sessionId}`,
        agentId: session.agent_id,
        deviceId: session.device_id,
        sourceAddress,
        details: { sessionId, sessionEnded: ended.length > 0 },
      },
      now,
    );
    return ended;
  }

  #notifyReuse(ended: readonly number[]): void {
    if (ended.length > 0) this.#deps.security.sessionsEnded(ended, 'refresh_reused');
  }

  async logout(principal: SessionPrincipal, sourceAddress: string): Promise<void> {
    const now = this.#deps.now();
    const ended = await this.#deps.committer.submit(async (trx) => {
      const ids = await endSessions(trx, { sessionId: principal.sessionId }, 'logged_out', now);
      await appendAudit(
        trx,
        {
          event: 'session.logout',
          outcome: 'ok',
          actor: `agent:${principal.agentId}:${principal.username}`,
          agentId: principal.agentId,
          deviceId: principal.deviceId,
          sourceAddress,
          details: { sessionId: principal.sessionId },
        },
        now,
      );
      return ids;
    });
    this.#deps.security.sessionsEnded(ended, 'logged_out');
  }

  /** The device behind the proof; a refused proof is audited before the error goes back. */
  async #deviceOrAudit(request: LoginRequest, sourceAddress: string): Promise<DeviceRow> {
    try {
      return await activeDeviceForProof(this.#deps.db, request.proof, 'login', request.username);
    } catch (error) {
      if (error instanceof DeviceProofError) {
        const now = this.#deps.now();
        await this.#deps.committer.submit((trx) =>
          appendAudit(
            trx,
            {
              event: 'login.failed',
              outcome: 'refused',
              actor: `machine:${request.proof.machineId.slice(0, 12)}`,
              sourceAddress,
              details: { username: request.username, reason: error.code },
            },
            now,
          ),
        );
      }
      throw error;
    }
  }
}
