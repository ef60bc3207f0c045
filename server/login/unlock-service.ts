/**
 * Resuming a locked workstation: the agent's session is still live, and the agent proves to be
 * at the keyboard with the authenticator (or a recovery code) on the same device. The factor is
 * checked and spent like a login's, and failures count towards the same lockout; at the limit
 * the account locks and the agent's sessions end.
 */
import type { Kysely } from 'kysely';
import type { DeviceProof } from '../../common/api/device-proof.js';
import type { SecondFactor } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { accountLockedError } from '../credentials/credential-check.js';
import type { CredentialChecker } from '../credentials/credential-check.js';
import { activeDeviceForProof, spendProofNonce } from '../devices/device-proofs.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import { endSessions } from '../sessions/session-store.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

export interface UnlockDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly credentials: CredentialChecker;
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
    const checked = await this.#deps.credentials.checkSecondFactor(principal.agentId, input.secondFactor, now);
    const audit = { event: 'session.unlock', actor: `agent:${principal.agentId}:${principal.username}`, deviceId: device.id, sourceAddress };
    const outcome = await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, input.proof, now);
      if (checked.locked) {
        await this.#deps.credentials.auditLocked(trx, checked, audit, now);
        return { ok: false as const, ended: await endSessions(trx, { agentId: principal.agentId }, 'agent_locked', now) };
      }
      const settled = await this.#deps.credentials.settle(trx, checked, {
        audit,
        now,
        onSuccess: () => Promise.resolve({ value: undefined, details: { sessionId: principal.sessionId } }),
      });
      if (settled.ok) return { ok: true as const, ended: [] };
      const agent = await trx.selectFrom('agents').select('locked_at').where('id', '=', principal.agentId).executeTakeFirstOrThrow();
      return { ok: false as const, ended: agent.locked_at === null ? [] : await endSessions(trx, { agentId: principal.agentId }, 'agent_locked', now) };
    });
    if (outcome.ended.length > 0) this.#deps.security.sessionsEnded(outcome.ended, 'agent_locked');
    if (!outcome.ok)
      throw outcome.ended.length > 0
        ? accountLockedError()
        : new CodedError('unlock_failed', 'That code is not right. Type the code your authenticator shows now.');
  }
}
