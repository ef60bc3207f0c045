/**
 * The approval page's login: an administrator's password and second factor, checked by the same
 * CredentialChecker as the desktop login (decoys for equal time, the TOTP replay rule, the
 * generic answer). The page is anonymous, so it differs where that matters:
 * - the form's pairing code must name a live pending pairing before any credential is looked at;
 * - a failure is counted on no account and locks none (the page's LoginThrottle makes guessing
 *   slow instead), so no stranger can lock an admin out, or an agent out of their session;
 * - only admins may log in, and anyone else is checked against the decoys: their real password is
 *   never tested here, and the refusal (audited with its real reason) counts on nothing of theirs;
 * - the password hash runs in the page's own bounded lane.
 */
import { isCodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import { BUSY_RETRY_AFTER_MS } from '../credentials/password-check-queue.js';
import type { CredentialChecker } from '../credentials/credential-check.js';
import { PairingError } from '../devices/pairing-errors.js';
import type { PairingService } from '../devices/pairing-service.js';
import type { IssuedTokens } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { PageLoginThrottle } from './shared-login-throttle.js';
import { ApprovalPageError } from './page-errors.js';
import type { LoginForm } from './page-forms.js';
import type { PageSessions } from './page-session.js';

export const PAGE_LOGIN_EVENT = 'approval_page.login';

export interface AdminLoginDeps {
  readonly committer: GroupCommitter;
  readonly credentials: CredentialChecker;
  readonly pairing: Pick<PairingService, 'findByCode'>;
  readonly throttle: PageLoginThrottle;
  readonly sessions: PageSessions;
  readonly now: () => number;
}

export async function logInAdmin(deps: AdminLoginDeps, form: LoginForm, sourceAddress: string): Promise<IssuedTokens> {
  const now = deps.now();
  const audit = { event: PAGE_LOGIN_EVENT, actor: 'approval_page', deviceId: null, sourceAddress };
  const refusal = (event: string, details: Readonly<Record<string, string | number>>) =>
    deps.committer.submit((trx) =>
      appendAudit(
        trx,
        { event: `${PAGE_LOGIN_EVENT}.${event}`, outcome: 'refused', actor: audit.actor, sourceAddress, details: { username: form.username, ...details } },
        now,
      ),
    );

  // Busy: refused before any other work, so a flood costs the server as little as it can.
  if (!deps.credentials.hasRoomFor('approvalPage', sourceAddress)) throw busy();
  if (!(await namesLivePairing(deps.pairing, form.code))) {
    await refusal('failed', { reason: 'pairing_code_invalid', secondFactor: form.otp.kind });
    throw new ApprovalPageError('pairing_code_invalid', 'This pairing code is not one a workstation shows now.', 'code');
  }

  const keys = { address: sourceAddress, username: form.username };
  const admitted = await deps.throttle.admit(keys, now);
  if (!admitted.allowed) {
    await refusal('throttled', { retryAfterMs: admitted.retryAfterMs, by: admitted.by });
    throw new ApprovalPageError(
      'login_throttled',
      'Too many failed attempts for this username or from this address: wait and try again.',
      undefined,
      admitted.retryAfterMs,
    );
  }

  let checked: Awaited<ReturnType<CredentialChecker['check']>>;
  try {
    checked = await deps.credentials.check(
      { username: form.username, password: form.password, secondFactor: form.otp },
      { now, lane: 'approvalPage', source: sourceAddress, roles: ['admin'] },
    );
  } catch (error) {
    if (!isCodedError(error) || error.code !== 'login_busy') throw error;
    await deps.throttle.withdraw(keys);
    throw busy();
  }
  if (checked.locked) {
    await deps.committer.submit((trx) => deps.credentials.auditLocked(trx, checked, audit, now));
    throw new ApprovalPageError('login_locked', 'This account is locked after too many failed attempts.');
  }
  const outcome = await deps.committer.submit((trx) =>
    deps.credentials.settle(trx, checked, {
      audit,
      now,
      roles: ['admin'],
      countFailures: false,
      onSuccess: async (agent) => {
        const tokens = await deps.sessions.open(trx, agent.id, sourceAddress, now);
        return { value: tokens, details: { sessionId: tokens.sessionId } };
      },
    }),
  );
  if (!outcome.ok) throw new ApprovalPageError('login_failed', 'The username, password or code is not right.');
  await deps.throttle.succeeded(keys);
  return outcome.value;
}

const busy = () => new ApprovalPageError('login_busy', 'The server is busy with other logins: try again in a few seconds.', undefined, BUSY_RETRY_AFTER_MS);

async function namesLivePairing(pairing: Pick<PairingService, 'findByCode'>, code: string): Promise<boolean> {
  try {
    await pairing.findByCode(code);
    return true;
  } catch (error) {
    if (error instanceof PairingError && error.code === 'pairing_code_invalid') return false;
    throw error;
  }
}
