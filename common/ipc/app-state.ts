/**
 * What the renderer may show, decided by main's state machine:
 * unprovisioned → unpaired → pairing → signed_out (device active) → enrolling | briefing | locked | inbox → revoked,
 * and, from any screen that reached the server, update_required when it refuses this app's version.
 * It never carries a token, key, secret or the raw OS machine ID; the TOTP secret appears only
 * while enrolling, because the agent must scan or type it once.
 */
import { z } from 'zod';
import { Role } from '../api/session.js';
import { AgentBriefingView } from '../briefing/briefing.js';

export const UiError = z.object({ code: z.string(), message: z.string() });
export type UiError = z.infer<typeof UiError>;

export const SignedInAgent = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
});
export type SignedInAgent = z.infer<typeof SignedInAgent>;

// A plain union: `enrolling` has two shapes (by `step`), which a discriminated union on `screen` cannot hold.
export const AppState = z.union([
  /** The provisioning file is missing or malformed: nothing talks to the network. */
  z.object({ screen: z.literal('unprovisioned'), problem: UiError, provisioningPath: z.string() }),
  /** Checking this workstation with the server. */
  z.object({ screen: z.literal('starting') }),
  /** The server could not be reached before anyone signed in. */
  z.object({ screen: z.literal('offline'), serverUrl: z.string(), problem: UiError }),
  /**
   * Not paired: ask to pair (or the last attempt failed). `machineId` is the app-scoped ID IT
   * registers; null when the OS gives none (then the workstation cannot ask to pair).
   */
  z.object({ screen: z.literal('unpaired'), machineId: z.string().nullable(), hostname: z.string(), problem: UiError.nullable() }),
  z.object({
    screen: z.literal('pairing'),
    machineId: z.string(),
    hostname: z.string(),
    code: z.string(),
    approvalUrl: z.string(),
    keyFingerprint: z.string(),
    codeExpiresAt: z.number().int(),
    pairingExpiresAt: z.number().int(),
  }),
  /** The device is active; nobody is signed in. */
  z.object({ screen: z.literal('signed_out'), deviceLabel: z.string(), problem: UiError.nullable() }),
  z.object({
    screen: z.literal('enrolling'),
    step: z.literal('authenticator'),
    username: z.string(),
    otpauthUri: z.string(),
    manualKey: z.string(),
    problem: UiError.nullable(),
  }),
  z.object({ screen: z.literal('enrolling'), step: z.literal('recovery_codes'), username: z.string(), recoveryCodes: z.array(z.string()) }),
  z.object({ screen: z.literal('locked'), agent: SignedInAgent, reason: z.enum(['idle', 'screen_locked', 'manual']), problem: UiError.nullable() }),
  z.object({ screen: z.literal('inbox'), agent: SignedInAgent, blockScreenshots: z.boolean() }),
  /** Signed in, and the security briefing must be acknowledged, rule by rule, before the inbox opens (first sign-in, a new version, the renewal period). */
  z.object({ screen: z.literal('briefing'), agent: SignedInAgent, briefing: AgentBriefingView }),
  /**
   * `reasonCode` names a reason the renderer words itself: `key_replaced` (the machine was paired
   * again with a new key), `access_withdrawn` (the server no longer knows this install's key);
   * otherwise `reason` is the administrator's.
   */
  z.object({ screen: z.literal('revoked'), reason: z.string(), reasonCode: z.enum(['key_replaced', 'access_withdrawn']).optional(), dataErased: z.boolean() }),
  /** The server refuses this app's version (older than its minimum): nothing works until it is updated. */
  z.object({ screen: z.literal('update_required'), appVersion: z.string(), minimumVersion: z.string().nullable() }),
]);
export type AppState = z.infer<typeof AppState>;
export type Screen = AppState['screen'];

export const ConnectionState = z.object({ status: z.enum(['online', 'connecting', 'offline']) });
export type ConnectionState = z.infer<typeof ConnectionState>;
