/**
 * Agent login on an active workstation: password + TOTP (or a recovery code) + the device's
 * proof. Failures are counted per agent (then the account locks until an admin unlocks it), per
 * device (a pause), and per source address (the HTTP rate limit). The answer never says which
 * factor failed or whether the username exists, and costs the same time either way.
 */
import type { Kysely } from 'kysely';
import type { ClientPolicy, LoginRequest, RefreshRequest, SessionGrant } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { UNKNOWN_USER_HASH, verifyPassword } from '../agents/passwords.js';
import { recoveryCodeHash, useRecoveryCode } from '../agents/recovery-codes.js';
import { checkTotp, newTotpSecret } from '../agents/totp.js';
import { appendAudit } from '../audit/audit-log.js';
import type { SecurityNotifier } from '../devices/actor.js';
import { activeDeviceForProof, DeviceProofError, spendProofNonce } from '../devices/device-proofs.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { DeviceRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { buildSessionGrant } from './session-grant.js';
import { endSessions, openSession, rotateSession, tokenHash } from './session-store.js';
import type { SessionPrincipal } from './session-store.js';

/** Failed logins in a row before the account locks (until an admin unlocks it). */
export const MAX_AGENT_FAILURES = 5;
/** Failed logins from one workstation within the window before it must pause. */
export const MAX_DEVICE_FAILURES = 10;
export const DEVICE_FAILURE_WINDOW_MS = 15 * 60 * 1000;

export interface LoginDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly policy: ClientPolicy;
  readonly sessionLifetimeMs: number;
  readonly security: SecurityNotifier;
  readonly now: () => number;
}

export class LoginError extends CodedError {}

const loginFailed = () => new LoginError('login_failed', 'The username, password or code is not right.');
const loginLocked = () =>
  new LoginError('login_locked', 'Too many failed attempts: this account is locked. Ask an administrator to unlock it.');

/** A TOTP secret nobody holds: checked for unknown usernames so they take as long as real ones. */
const DECOY_TOTP_SECRET = newTotpSecret();

export function sealTotpSecretContext(agentId: number): string {
  return `totp:agent:${agentId}`;
}

export class LoginService {
  readonly #deps: LoginDeps;
  /** Failures against usernames that do not exist, so they lock just like real ones (and reveal nothing). */
  readonly #unknownUserFailures = new Map<string, number>();

  constructor(deps: LoginDeps) {
    this.#deps = deps;
  }

  async login(request: LoginRequest, sourceAddress: string): Promise<SessionGrant> {
    const { username } = request;
    const device = await this.#deviceOrAudit(request, sourceAddress);
    const now = this.#deps.now();
    const auditBase = { actor: `device:${device.id}`, deviceId: device.id, sourceAddress };

    if (device.failed_logins >= MAX_DEVICE_FAILURES && (device.failed_logins_since ?? 0) > now - DEVICE_FAILURE_WINDOW_MS) {
      await this.#deps.committer.submit((trx) => appendAudit(trx, { event: 'login.throttled', outcome: 'refused', ...auditBase, details: { username } }, now));
      throw new LoginError('login_throttled', 'Too many failed logins from this workstation: wait 15 minutes and try again.', { retryAfterMs: DEVICE_FAILURE_WINDOW_MS });
    }

    const agent = await this.#deps.db.selectFrom('agents').selectAll().where('username', '=', username).executeTakeFirst();
    const locked = agent === undefined ? (this.#unknownUserFailures.get(username) ?? 0) >= MAX_AGENT_FAILURES : agent.locked_at !== null;

    // Both factors are always checked, against decoys when there is nothing real: equal time.
    const passwordOk = await verifyPassword(request.password, agent?.password_hash ?? UNKNOWN_USER_HASH);
    let totpStep: number | null = null;
    let recoveryHash: string | null = null;
    if (request.secondFactor.kind === 'totp') {
      const secret = agent?.totp_secret_sealed == null ? DECOY_TOTP_SECRET : this.#deps.key.open(agent.totp_secret_sealed, sealTotpSecretContext(agent.id)).toString('utf8');
      const check = await checkTotp({ secret, code: request.secondFactor.code, afterStep: agent?.totp_last_step ?? null, nowMs: now });
      totpStep = check.step;
    } else {
      recoveryHash = recoveryCodeHash(this.#deps.key, request.secondFactor.code);
    }

    if (locked) {
      await this.#deps.committer.submit(async (trx) => {
        await spendProofNonce(trx, request.proof, now);
        await appendAudit(trx, { event: 'login.locked', outcome: 'refused', ...auditBase, agentId: agent?.id ?? null, details: { username } }, now);
      });
      throw loginLocked();
    }

    const outcome = await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, request.proof, now);
      const current = agent === undefined ? undefined : await trx.selectFrom('agents').selectAll().where('id', '=', agent.id).executeTakeFirst();
      let factorOk = false;
      let usedRecoveryCode = false;
      if (current !== undefined && current.status === 'active' && passwordOk && current.locked_at === null) {
        if (totpStep !== null) {
          // The step is taken atomically: a concurrent login with the same code loses here.
          const taken = await trx
            .updateTable('agents')
            .set({ totp_last_step: totpStep })
            .where('id', '=', current.id)
            .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', totpStep)]))
            .executeTakeFirst();
          factorOk = Number(taken.numUpdatedRows) === 1;
        } else if (recoveryHash !== null) {
          factorOk = await useRecoveryCode(trx, current.id, recoveryHash, now);
          usedRecoveryCode = factorOk;
        }
      }
      if (current !== undefined && factorOk) {
        await trx.updateTable('agents').set({ failed_logins: 0, updated_at: now }).where('id', '=', current.id).execute();
        await trx.updateTable('devices').set({ failed_logins: 0, failed_logins_since: null, last_seen_at: now }).where('id', '=', device.id).execute();
        const tokens = await openSession(trx, { kind: 'device', agentId: current.id, deviceId: device.id, sourceAddress, lifetimeMs: this.#deps.sessionLifetimeMs, now });
        await appendAudit(trx, { event: 'login.ok', outcome: 'ok', ...auditBase, agentId: current.id, details: { username, sessionId: tokens.sessionId, secondFactor: request.secondFactor.kind } }, now);
        if (usedRecoveryCode) {
          const left = await trx.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('agent_id', '=', current.id).where('used_at', 'is', null).executeTakeFirstOrThrow();
          await appendAudit(trx, { event: 'login.recovery_code_used', outcome: 'ok', ...auditBase, agentId: current.id, details: { username, recoveryCodesLeft: Number(left.n) } }, now);
        }
        return { ok: true as const, tokens, agent: current };
      }
      const reason = current === undefined ? 'unknown_user' : current.status !== 'active' ? `agent_${current.status}` : !passwordOk ? 'password' : 'second_factor';
      let justLocked = false;
      if (current !== undefined) {
        const failures = current.failed_logins + 1;
        justLocked = failures >= MAX_AGENT_FAILURES && current.locked_at === null;
        await trx
          .updateTable('agents')
          .set({ failed_logins: failures, ...(justLocked ? { locked_at: now } : {}), updated_at: now })
          .where('id', '=', current.id)
          .execute();
      }
      const windowFresh = (device.failed_logins_since ?? 0) > now - DEVICE_FAILURE_WINDOW_MS;
      await trx
        .updateTable('devices')
        .set((eb) => (windowFresh ? { failed_logins: eb('failed_logins', '+', 1) } : { failed_logins: 1, failed_logins_since: now }))
        .where('id', '=', device.id)
        .execute();
      await appendAudit(trx, { event: 'login.failed', outcome: 'refused', ...auditBase, agentId: current?.id ?? null, details: { username, reason, secondFactor: request.secondFactor.kind } }, now);
      if (justLocked) await appendAudit(trx, { event: 'agent.locked', outcome: 'ok', actor: 'system', agentId: current?.id ?? null, deviceId: device.id, sourceAddress, details: { username, failures: MAX_AGENT_FAILURES } }, now);
      return { ok: false as const };
    });

    if (!outcome.ok) {
      if (agent === undefined) this.#unknownUserFailures.set(username, (this.#unknownUserFailures.get(username) ?? 0) + 1);
      throw loginFailed();
    }
    return buildSessionGrant({ tokens: outcome.tokens, agent: outcome.agent, device, key: this.#deps.key, policy: this.#deps.policy, now });
  }

  async refresh(request: RefreshRequest): Promise<SessionGrant> {
    const now = this.#deps.now();
    const refreshFailed = () => new LoginError('refresh_failed', 'This login has ended: log in again.');
    const session = await this.#deps.db.selectFrom('sessions').selectAll().where('refresh_hash', '=', tokenHash(request.refreshToken)).executeTakeFirst();
    if (session === undefined || session.kind !== 'device') throw refreshFailed();
    const device = await activeDeviceForProof(this.#deps.db, request.proof, 'refresh');
    if (device.id !== session.device_id) throw refreshFailed();
    const result = await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, request.proof, now);
      const current = await trx.selectFrom('sessions').selectAll().where('id', '=', session.id).executeTakeFirstOrThrow();
      const agent = await trx.selectFrom('agents').selectAll().where('id', '=', session.agent_id).executeTakeFirstOrThrow();
      if (current.ended_at !== null || current.refresh_hash !== tokenHash(request.refreshToken) || current.expires_at <= now || agent.status !== 'active') return undefined;
      await trx.updateTable('devices').set({ last_seen_at: now }).where('id', '=', device.id).execute();
      const tokens = await rotateSession(trx, current.id, current.expires_at, now);
      return { tokens: { ...tokens, expiresAt: current.expires_at }, agent };
    });
    if (result === undefined) throw refreshFailed();
    return buildSessionGrant({ tokens: result.tokens, agent: result.agent, device, key: this.#deps.key, policy: this.#deps.policy, now });
  }

  async logout(principal: SessionPrincipal, sourceAddress: string): Promise<void> {
    const now = this.#deps.now();
    const ended = await this.#deps.committer.submit(async (trx) => {
      const ids = await endSessions(trx, { sessionId: principal.sessionId }, 'logged_out', now);
      await appendAudit(
        trx,
        { event: 'session.logout', outcome: 'ok', actor: `agent:${principal.agentId}:${principal.username}`, agentId: principal.agentId, deviceId: principal.deviceId, sourceAddress, details: { sessionId: principal.sessionId } },
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
          appendAudit(trx, { event: 'login.failed', outcome: 'refused', actor: `machine:${request.proof.machineId.slice(0, 12)}`, sourceAddress, details: { username: request.username, reason: error.code } }, now),
        );
      }
      throw error;
    }
  }
}
