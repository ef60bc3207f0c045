/**
 * Resuming a locked workstation: the agent's session is still live, and the agent proves to be
 * at the keyboard with the authenticator (or a recovery code) on the same device. Failures count
 * towards the same lockout as logins; at the limit the account locks and the session ends.
 */
import type { Kysely } from 'kysely';
import type { DeviceProof } from '../../common/api/device-proof.js';
import type { SecondFactor } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { recoveryCodeHash, useRecoveryCode } from '../agents/recovery-codes.js';
import { checkTotp } from '../agents/totp.js';
import { appendAudit } from '../audit/audit-log.js';
import type { SecurityNotifier } from '../devices/actor.js';
import { activeDeviceForProof, spendProofNonce } from '../devices/device-proofs.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { MAX_AGENT_FAILURES, sealTotpSecretContext } from './credential-check.js';
import { endSessions } from './session-store.js';
import type { SessionPrincipal } from './session-store.js';

export interface UnlockDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly security: SecurityNotifier;
  readonly now: () => number;
}

export class UnlockService {
  readonly #deps: UnlockDeps;

  constructor(deps: UnlockDeps) {
    this.#deps = deps;
  }

  async unlock(principal: SessionPrincipal, input: { secondFactor: SecondFactor; proof: DeviceProof }, sourceAddress: string): Promise<void> {
    const device = await activeDeviceForProof(this.#deps.db, input.proof, 'unlock');
    if (device.id !== principal.deviceId) throw new CodedError('proof_invalid', 'This session belongs to another workstation.');
    const now = this.#deps.now();
    const agent = await this.#deps.db.selectFrom('agents').selectAll().where('id', '=', principal.agentId).executeTakeFirstOrThrow();
    let totpStep: number | null = null;
    let recoveryHash: string | null = null;
    if (input.secondFactor.kind === 'totp' && agent.totp_secret_sealed !== null) {
      const secret = this.#deps.key.open(agent.totp_secret_sealed, sealTotpSecretContext(agent.id)).toString('utf8');
      totpStep = (await checkTotp({ secret, code: input.secondFactor.code, afterStep: agent.totp_last_step, nowMs: now })).step;
    } else if (input.secondFactor.kind === 'recovery') {
      recoveryHash = recoveryCodeHash(this.#deps.key, input.secondFactor.code);
    }
    const audit = { actor: `agent:${agent.id}:${agent.username}`, agentId: agent.id, deviceId: device.id, sourceAddress };
    const outcome = await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, input.proof, now);
      let ok = false;
      if (totpStep !== null) {
        const taken = await trx
          .updateTable('agents')
          .set({ totp_last_step: totpStep })
          .where('id', '=', agent.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', totpStep)]))
          .executeTakeFirst();
        ok = Number(taken.numUpdatedRows) === 1;
      } else if (recoveryHash !== null) {
        ok = await useRecoveryCode(trx, agent.id, recoveryHash, now);
      }
      if (ok) {
        await trx.updateTable('agents').set({ failed_logins: 0, updated_at: now }).where('id', '=', agent.id).execute();
        await appendAudit(trx, { event: 'session.unlocked', outcome: 'ok', ...audit, details: { sessionId: principal.sessionId, secondFactor: input.secondFactor.kind } }, now);
        return { ok: true as const, ended: [] };
      }
      const current = await trx.selectFrom('agents').select(['failed_logins', 'locked_at']).where('id', '=', agent.id).executeTakeFirstOrThrow();
      const failures = current.failed_logins + 1;
      const lock = failures >= MAX_AGENT_FAILURES && current.locked_at === null;
      await trx.updateTable('agents').set({ failed_logins: failures, ...(lock ? { locked_at: now } : {}), updated_at: now }).where('id', '=', agent.id).execute();
      await appendAudit(trx, { event: 'session.unlock_failed', outcome: 'refused', ...audit, details: { sessionId: principal.sessionId, secondFactor: input.secondFactor.kind } }, now);
      if (!lock) return { ok: false as const, ended: [] };
      await appendAudit(trx, { event: 'agent.locked', outcome: 'ok', ...audit, actor: 'system', details: { username: agent.username, failures } }, now);
      return { ok: false as const, ended: await endSessions(trx, { agentId: agent.id }, 'agent_locked', now) };
    });
    if (outcome.ended.length > 0) this.#deps.security.sessionsEnded(outcome.ended, 'agent_locked');
    if (!outcome.ok) {
      throw outcome.ended.length > 0
        ? new CodedError('login_locked', 'Too many failed attempts: this account is locked. Ask an administrator to unlock it.')
        : new CodedError('unlock_failed', 'That code is not right. Type the code your authenticator shows now.');
    }
  }
}
