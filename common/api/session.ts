/** Enrollment, login, refresh and logout: the wire shapes of /v1/enrollment and /v1/sessions. */
import { z } from 'zod';
import { EnrollmentCode } from '../devices/pairing-code.js';
import { DeviceProof } from './device-proof.js';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'username must be 2 to 64 letters, digits, dots, dashes or underscores');

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** The roles an agent holds, in ROLES order, each once: what the wire and the store carry. */
export function canonicalRoles(roles: Iterable<Role>): Role[] {
  const held = new Set(roles);
  return ROLES.filter((role) => held.has(role));
}

/** A set of roles: at least one, each once (given in any order, kept in ROLES order). */
export const Roles = z
  .array(Role)
  .min(1, 'give at least one role: agent, supervisor or admin')
  .refine((roles) => new Set(roles).size === roles.length, 'each role at most once')
  .transform(canonicalRoles);

/** The teams an agent answers for: member of (their queues) and supervising (everything of them). */
export const TeamScope = z.object({
  memberOf: z.array(z.number().int().positive()),
  supervises: z.array(z.number().int().positive()),
});
export type TeamScope = z.infer<typeof TeamScope>;

/** Typed by a person: length is checked on the server against the password policy. */
export const Password = z.string().min(1, 'password must not be empty').max(1024, 'password must be at most 1024 characters');
export const TotpCode = z.string().regex(/^\d{6}$/, 'the code must be the 6 digits shown by the authenticator app');
export const RecoveryCode = z.string().trim().min(8, 'a recovery code has 10 characters').max(32);

export const SecondFactor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('totp'), code: TotpCode }),
  z.object({ kind: z.literal('recovery'), code: RecoveryCode }),
]);
export type SecondFactor = z.infer<typeof SecondFactor>;

export const AccessToken = z.string().regex(/^sa_[A-Za-z0-9_-]{43}$/);
export const RefreshToken = z.string().regex(/^sr_[A-Za-z0-9_-]{43}$/);

export const ClientPolicy = z.object({
  idleLockMinutes: z.number().int().positive(),
  offlineLeaseHours: z.number().int().positive(),
  blockScreenshots: z.boolean(),
  allowBasicTextStorage: z.boolean(),
  keepCacheOnLogout: z.boolean(),
  /** Whether notifications may show message text; off: only who wrote. */
  notificationPreviews: z.boolean(),
});
export type ClientPolicy = z.infer<typeof ClientPolicy>;

export const AgentIdentity = z.object({
  id: z.number().int().positive(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role).min(1),
});
export type AgentIdentity = z.infer<typeof AgentIdentity>;

/** What a login or refresh grants. Tokens and the share stay in the main process, never in the renderer. */
export const SessionGrant = z.object({
  accessToken: AccessToken,
  accessExpiresAt: z.number().int(),
  refreshToken: RefreshToken,
  /** The login's absolute end: after it the agent logs in again. */
  sessionExpiresAt: z.number().int(),
  agent: AgentIdentity,
  /** The agent's teams as the grant was made; the event feed's `view_changed` says when they change. */
  teams: TeamScope,
  device: z.object({ id: z.number().int().positive(), label: z.string() }),
  /** The device's 32-byte cache-key share (base64url): half of the local cache key. */
  cacheKeyShare: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  offlineLeaseEndsAt: z.number().int(),
  /** The server's clock when it granted this: the workstation judges the lease by no earlier time. */
  serverTime: z.number().int(),
  policy: ClientPolicy,
});
export type SessionGrant = z.infer<typeof SessionGrant>;

export const LoginRequest = z.object({
  username: Username,
  password: Password,
  secondFactor: SecondFactor,
  proof: DeviceProof,
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RefreshRequest = z.object({ refreshToken: RefreshToken, proof: DeviceProof });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const UnlockRequest = z.object({ secondFactor: SecondFactor, proof: DeviceProof });
export type UnlockRequest = z.infer<typeof UnlockRequest>;

export const EnrollmentStartRequest = z.object({
  username: Username,
  enrollmentCode: EnrollmentCode,
  newPassword: Password,
  proof: DeviceProof,
});
export type EnrollmentStartRequest = z.infer<typeof EnrollmentStartRequest>;

export const EnrollmentStarted = z.object({
  enrollmentId: z.string(),
  /** otpauth://totp/… for the QR. */
  otpauthUri: z.string(),
  /** The same secret in base32, for typing into the app by hand. */
  secret: z.string(),
  expiresAt: z.number().int(),
});
export type EnrollmentStarted = z.infer<typeof EnrollmentStarted>;

export const EnrollmentConfirmRequest = z.object({
  enrollmentId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'enrollmentId must be the id returned when enrollment started'),
  code: TotpCode,
  proof: DeviceProof,
});
export type EnrollmentConfirmRequest = z.infer<typeof EnrollmentConfirmRequest>;

export const RECOVERY_CODE_COUNT = 10;

export const EnrollmentCompleted = z.object({
  /** Shown once; the server keeps only their hashes. */
  recoveryCodes: z.array(z.string()).length(RECOVERY_CODE_COUNT),
  session: SessionGrant,
});
export type EnrollmentCompleted = z.infer<typeof EnrollmentCompleted>;
