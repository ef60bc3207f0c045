/** How a signed-in session can end without the agent asking, and which server refusals end it. */
import type { CodedError } from '../../common/errors/coded-error.js';
import { isCodedError } from '../../common/errors/coded-error.js';
import type { UiError } from '../../common/ipc/app-state.js';
import { uiError } from './ui-error.js';

/** Server answers meaning this login is over (not the device): back to the sign-in screen. */
const SIGNED_OUT_CODES = new Set(['session_invalid', 'session_expired', 'agent_disabled', 'agent_reset', 'refresh_failed', 'signed_out']);
/** How a session ended without the agent asking, for the core to act on. */
export type SessionEnd =
  | { readonly kind: 'revoked'; readonly reason: string }
  | { readonly kind: 'outdated'; readonly error: CodedError }
  | { readonly kind: 'lost'; readonly why: string; readonly problem: UiError }
  | { readonly kind: 'lease_expired'; readonly problem: UiError };

/** What a server refusal ends: revoked → wipe; session gone → signed out; too old → update; else nothing. */
export function endOf(error: unknown): SessionEnd | undefined {
  if (!isCodedError(error)) return undefined;
  if (error.code === 'client_outdated') return { kind: 'outdated', error };
  if (error.code === 'device_revoked') return { kind: 'revoked', reason: 'This workstation has been revoked by an administrator.' };
  if (SIGNED_OUT_CODES.has(error.code)) return { kind: 'lost', why: error.code, problem: uiError(error) };
  return undefined;
}
