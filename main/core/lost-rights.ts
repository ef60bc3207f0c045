/**
 * What the end of a session means for what the workstation keeps, read from the server's reason
 * (the socket's `session_revoked` reason, or an API error code): the agent lost their right
 * (disabled, authenticator reset) and their cache goes whatever the policy; the device may have
 * lost its right (its key was replaced) and the core asks the server; or the session just ended.
 */
import type { AppState, UiError } from '../../common/ipc/app-state.js';

export type SessionLoss = 'agent_disabled' | 'agent_reset' | 'ended';

const AGENT_LOSSES: Readonly<Record<string, SessionLoss>> = {
  agent_disabled: 'agent_disabled',
  agent_reset: 'agent_reset',
  totp_reset: 'agent_reset',
};

export function sessionLossOf(reason: string): SessionLoss {
  return AGENT_LOSSES[reason] ?? 'ended';
}

/** What the sign-in screen says once an agent's data has been erased. */
export const AGENT_ERASED: Readonly<Record<Exclude<SessionLoss, 'ended'>, UiError>> = {
  agent_disabled: {
    code: 'agent_disabled_erased',
    message: 'An administrator disabled this account. What Sportello kept of it on this workstation has been erased.',
  },
  agent_reset: {
    code: 'agent_reset_erased',
    message: 'An administrator reset this account’s sign-in: enroll again with the new code. What Sportello kept of it on this workstation has been erased.',
  },
};

export const SESSION_ENDED: UiError = {
  code: 'session_ended',
  message: 'Your session was ended (signed out elsewhere, or by an administrator). Sign in again.',
};

type Revoked = Extract<AppState, { screen: 'revoked' }>;

/**
 * The revoked screen's reason for a device answer, when it means this install lost its right:
 * `revoked` always; `unknown` or `rejected` when the install holds cache secrets (it was paired
 * and signed in once, so the server no longer knowing its key means it was replaced or revoked).
 */
export function withdrawnBy(
  device: { status: string; revokedReason?: string | undefined; reasonCode?: 'key_replaced' | undefined },
  holdsCache: boolean,
): Pick<Revoked, 'reason' | 'reasonCode'> | undefined {
  if (device.status === 'revoked')
    return { reason: device.revokedReason ?? 'Revoked by an administrator.', ...(device.reasonCode === undefined ? {} : { reasonCode: device.reasonCode }) };
  if ((device.status === 'unknown' || device.status === 'rejected') && holdsCache) {
    return { reason: 'The server no longer knows this installation’s key: its pairing was revoked or replaced.', reasonCode: 'access_withdrawn' };
  }
  return undefined;
}
