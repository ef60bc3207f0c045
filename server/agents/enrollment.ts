/**
 * Enrollment on an active workstation: username + the admin's one-time code + a new password →
 * an authenticator secret (otpauth URI for the QR) → one current code confirms it → ten recovery
 * codes, shown once, and the agent is logged in.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ClientPolicy, EnrollmentCompleted, EnrollmentConfirmRequest, EnrollmentStarted, EnrollmentStartRequest } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import { hashPassword } from '../credentials/passwords.js';
import { checkNewPassword } from '../credentials/password-policy.js';
import { replaceRecoveryCodes } from '../credentials/recovery-codes.js';
import { checkTotp, newTotpSecret, sealTotpSecretContext, totpUri } from '../credentials/totp.js';
import { activeDeviceForProof, spendProofNonce } from '../devices/device-proofs.js';
import type { ServerKey } from '../secrets/server-key.js';
import { buildSessionGrant } from '../sessions/session-grant.js';
import { teamScopeOf } from '../sessions/team-scope.js';
import { openSession } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

/** Wrong enrollment codes (or confirmation codes) before the enrollment is void and an admin must issue a new one. */
export const MAX_ENROLLMENT_FAILURES = 5;
/** Time to scan the QR and confirm a code. */
export const PENDING_ENROLLMENT_TTL_MS = 15 * 60 * 1000;

export interface EnrollmentDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly orgName: string;
  readonly policy: ClientPolicy;
  readonly sessionLifetimeMs: number;
  readonly now: () => number;
}

export class EnrollmentError extends CodedError {}

const enrollmentRefused = () =>
  new EnrollmentError('enrollment_failed', 'The username or enrollment code is not right, or the code has expired: ask an administrator for a new code.');

const notPending = () => new EnrollmentError('enrollment_not_pending', 'This enrollment has expired or was replaced: start again with your enrollment code.');

export class EnrollmentService {
  readonly #deps: EnrollmentDeps;

  constructor(deps: EnrollmentDeps) {
    this.#deps = deps;
  }

  async start(request: EnrollmentStartRequest, sourceAddress: string): Promise<EnrollmentStarted> {
    const device = await activeDeviceForProof(this.#deps.db, request.proof, 'enrollment.start', request.username);
    const now = this.#deps.now();
    const agent = await this.#deps.db.selectFrom('agents').selectAll().where('username', '=', request.username).executeTakeFirst();
    const codeOk =
      agent !== undefined &&
      agent.status === 'enrolling' &&
      agent.enrollment_failures < MAX_ENROLLMENT_FAILURES &&
      (agent.enrollment_expires_at ?? 0) > now &&
      this.#deps.key.macMatches('enrollment', request.enrollmentCode, agent.enrollment_code_hash);
    const audit = { actor: `device:${device.id}`, deviceId: device.id, sourceAddress, agentId: agent?.id ?? null };
    if (!codeOk) {
      await this.#deps.committer.submit(async (trx) => {
        await spendProofNonce(trx, request.proof, now);
        if (agent !== undefined && agent.status === 'enrolling') {
          await trx
            .updateTable('agents')
            .set((eb) => ({ enrollment_failures: eb('enrollment_failures', '+', 1), updated_at: now }))
            .where('id', '=', agent.id)
            .execute();
        }
        await appendAudit(trx, { event: 'agent.enrollment_failed', outcome: 'refused', ...audit, details: { username: request.username, step: 'code' } }, now);
      });
      throw enrollmentRefused();
    }
    checkNewPassword(request.newPassword, { username: request.username, orgName: this.#deps.orgName });
    const passwordHash = await hashPassword(request.newPassword);
    const secret = newTotpSecret();
    const enrollmentId = crypto.randomBytes(24).toString('base64url');
    const expiresAt = now + PENDING_ENROLLMENT_TTL_MS;
    await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, request.proof, now);
      await trx
        .updateTable('agents')
        .set({
          pending_password_hash: passwordHash,
          pending_totp_secret_sealed: this.#deps.key.seal(Buffer.from(secret, 'utf8'), sealTotpSecretContext(agent.id)),
          pending_enrollment_id: enrollmentId,
          pending_enrollment_device_id: device.id,
          pending_enrollment_expires_at: expiresAt,
          updated_at: now,
        })
        .where('id', '=', agent.id)
        .execute();
      await appendAudit(trx, { event: 'agent.enrollment_started', outcome: 'ok', ...audit, details: { username: request.username } }, now);
    });
    return { enrollmentId, otpauthUri: totpUri({ secret, orgName: this.#deps.orgName, username: agent.username }), secret, expiresAt };
  }

  async confirm(request: EnrollmentConfirmRequest, sourceAddress: string): Promise<EnrollmentCompleted> {
    const device = await activeDeviceForProof(this.#deps.db, request.proof, 'enrollment.confirm', request.enrollmentId);
    const now = this.#deps.now();
    const agent = await this.#deps.db.selectFrom('agents').selectAll().where('pending_enrollment_id', '=', request.enrollmentId).executeTakeFirst();
    if (
      agent === undefined ||
      agent.status !== 'enrolling' ||
      agent.pending_enrollment_device_id !== device.id ||
      (agent.pending_enrollment_expires_at ?? 0) <= now ||
      agent.pending_totp_secret_sealed === null ||
      agent.pending_password_hash === null
    ) {
      throw notPending();
    }
    const secret = this.#deps.key.open(agent.pending_totp_secret_sealed, sealTotpSecretContext(agent.id)).toString('utf8');
    const check = await checkTotp({ secret, code: request.code, afterStep: null, nowMs: now });
    const audit = { actor: `device:${device.id}`, deviceId: device.id, sourceAddress, agentId: agent.id };
    if (!check.valid || check.step === null) {
      const failures = agent.enrollment_failures + 1;
      await this.#deps.committer.submit(async (trx) => {
        await spendProofNonce(trx, request.proof, now);
        await trx
          .updateTable('agents')
          .set({
            enrollment_failures: failures,
            ...(failures >= MAX_ENROLLMENT_FAILURES ? { pending_enrollment_id: null, pending_totp_secret_sealed: null, pending_password_hash: null } : {}),
            updated_at: now,
          })
          .where('id', '=', agent.id)
          .execute();
        await appendAudit(trx, { event: 'agent.enrollment_failed', outcome: 'refused', ...audit, details: { username: agent.username, step: 'confirm' } }, now);
      });
      throw failures >= MAX_ENROLLMENT_FAILURES
        ? new EnrollmentError('enrollment_failed', 'Too many wrong codes: this enrollment is void. Ask an administrator for a new enrollment code.')
        : new EnrollmentError('totp_code_wrong', 'That code does not match: check that the phone’s clock is right and type the code shown now.');
    }
    const step = check.step;
    const result = await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, request.proof, now);
      // Only the enrollment that was read and checked: a `start` since then replaced it (a new
      // password and secret), and an admin may have disabled or reset the agent.
      const taken = await trx
        .updateTable('agents')
        .set({
          status: 'active',
          password_hash: agent.pending_password_hash,
          totp_secret_sealed: agent.pending_totp_secret_sealed,
          totp_last_step: step,
          enrollment_code_hash: null,
          enrollment_expires_at: null,
          enrollment_failures: 0,
          pending_password_hash: null,
          pending_totp_secret_sealed: null,
          pending_enrollment_id: null,
          pending_enrollment_device_id: null,
          pending_enrollment_expires_at: null,
          failed_logins: 0,
          locked_at: null,
          updated_at: now,
        })
        .where('id', '=', agent.id)
        .where('status', '=', 'enrolling')
        .where('pending_enrollment_id', '=', request.enrollmentId)
        .where('pending_enrollment_device_id', '=', device.id)
        .where('pending_enrollment_expires_at', '>', now)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) {
        await appendAudit(
          trx,
          { event: 'agent.enrollment_failed', outcome: 'refused', ...audit, details: { username: agent.username, step: 'confirm_superseded' } },
          now,
        );
        return undefined;
      }
      const recoveryCodes = await replaceRecoveryCodes(trx, this.#deps.key, agent.id, now);
      const tokens = await openSession(trx, {
        kind: 'device',
        agentId: agent.id,
        deviceId: device.id,
        sourceAddress,
        lifetimeMs: this.#deps.sessionLifetimeMs,
        now,
      });
      await appendAudit(trx, { event: 'agent.enrolled', outcome: 'ok', ...audit, details: { username: agent.username, sessionId: tokens.sessionId } }, now);
      return { recoveryCodes, tokens };
    });
    if (result === undefined) throw notPending();
    const teams = await teamScopeOf(this.#deps.db, agent.id);
    const session = buildSessionGrant({ tokens: result.tokens, agent, teams, device, key: this.#deps.key, policy: this.#deps.policy, now });
    return { recoveryCodes: result.recoveryCodes, session };
  }
}
