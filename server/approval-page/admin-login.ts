/**
 * The approval page's login: an administrator's password and second factor, checked by the same
 * CredentialChecker as the desktop login, so the same failure counter, lock, TOTP replay rule and
 * generic answer apply. Only admins may log in here; anyone else gets the same failure (audited
 * with its real reason). Per-address throttling is the route's rate limit.
 */
import type { CredentialChecker } from '../sessions/credential-check.js';
import type { IssuedTokens } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import { ApprovalPageError } from './page-errors.js';
import type { LoginForm } from './page-forms.js';
import type { PageSessions } from './page-session.js';

export const PAGE_LOGIN_EVENT = 'approval_page.login';

export interface AdminLoginDeps {
  readonly committer: GroupCommitter;
  readonly credentials: CredentialChecker;
  readonly sessions: PageSessions;
  readonly now: () => number;
}

export async function logInAdmin(deps: AdminLoginDeps, form: LoginForm, sourceAddress: string): Promise<IssuedTokens> {
  const now = deps.now();
  const audit = { event: PAGE_LOGIN_EVENT, actor: 'approval_page', deviceId: null, sourceAddress };
  const checked = await deps.credentials.check({ username: form.username, password: form.password, secondFactor: form.otp }, now);
  if (checked.locked) {
    await deps.committer.submit((trx) => deps.credentials.auditLocked(trx, checked, audit, now));
    throw new ApprovalPageError('login_locked', 'This account is locked after too many failed attempts.');
  }
  const outcome = await deps.committer.submit((trx) =>
    deps.credentials.settle(trx, checked, {
      audit,
      now,
      roles: ['admin'],
      onSuccess: async (agent) => {
        const tokens = await deps.sessions.open(trx, agent.id, sourceAddress, now);
        return { value: tokens, details: { sessionId: tokens.sessionId } };
      },
    }),
  );
  if (!outcome.ok) {
    deps.credentials.noteFailure(checked);
    throw new ApprovalPageError('login_failed', 'The username, password or code is not right.');
  }
  return outcome.value;
}
