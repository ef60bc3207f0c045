/** The admin part of the client API: devices, the allowlist, agents and the audit log. */
import { z } from 'zod';
import { PairingCode } from '../devices/pairing-code.js';
import { MachineId } from './device-proof.js';
import { Role, Roles, Username } from './session.js';

const Id = z.number().int().positive();
const Time = z.number().int();

export const AllowMachineRequest = z.object({
  machineId: MachineId,
  label: z.string().trim().min(1, 'label must not be empty').max(100, 'label must be at most 100 characters'),
});
export type AllowMachineRequest = z.infer<typeof AllowMachineRequest>;

export const AllowlistImportRequest = z.object({
  /** CSV from the MDM: machine_id,label per line; a header line is allowed. */
  csv: z.string().min(1, 'csv must not be empty').max(1_000_000, 'csv must be at most 1 MB'),
});
export const AllowlistImported = z.object({ added: z.number().int(), updated: z.number().int() });

export const DecidePairingRequest = z.object({ code: PairingCode });
/** GET /v1/admin/pairings/lookup?code=: the code the workstation shows. */
export const PairingLookupQuery = z.object({ code: PairingCode });
/** `replaceKey`: the admin saw that approving replaces an active device's key, and confirmed it. */
export const ApprovePairingRequest = DecidePairingRequest.extend({ replaceKey: z.boolean().default(false) });
export const RevokeDeviceRequest = z.object({ reason: z.string().trim().min(1, 'say why the device is revoked').max(500) });

export const PendingPairing = z.object({
  id: Id,
  keyFingerprint: z.string(),
  hostname: z.string(),
  os: z.string(),
  appVersion: z.string(),
  storageBackend: z.string(),
  createdAt: Time,
  expiresAt: Time,
});
export type PendingPairing = z.infer<typeof PendingPairing>;

export const DeviceView = z.object({
  id: Id,
  machineId: z.string(),
  label: z.string(),
  hostname: z.string(),
  os: z.string(),
  appVersion: z.string(),
  storageBackend: z.string(),
  status: z.enum(['pending', 'active', 'rejected', 'revoked']),
  allowlisted: z.boolean(),
  keyFingerprint: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: Time.nullable(),
  revokedBy: z.string().nullable(),
  revokedAt: Time.nullable(),
  revokedReason: z.string().nullable(),
  lastSeenAt: Time.nullable(),
  /** The newest pairing request waiting for this machine ID. */
  pendingPairing: PendingPairing.nullable(),
  /** How many wait for it: more than one means another key claims the same machine ID. */
  pendingPairingCount: z.number().int().nonnegative(),
});
export type DeviceView = z.infer<typeof DeviceView>;

export const AllowlistEntry = z.object({ machineId: z.string(), label: z.string(), addedBy: z.string(), addedAt: Time });

export const DeviceList = z.object({ devices: z.array(DeviceView), allowlist: z.array(AllowlistEntry) });
export type DeviceList = z.infer<typeof DeviceList>;

/** A pairing found by its code, for the person approving it to compare with the workstation's screen. */
export const PairingForApproval = z.object({ device: DeviceView, pairing: PendingPairing });
export type PairingForApproval = z.infer<typeof PairingForApproval>;

export const AgentView = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  status: z.enum(['enrolling', 'active', 'disabled']),
  locked: z.boolean(),
  enrollmentExpiresAt: Time.nullable(),
  createdAt: Time,
});
export type AgentView = z.infer<typeof AgentView>;
export const AgentList = z.object({ agents: z.array(AgentView) });
export type AgentList = z.infer<typeof AgentList>;

export const CreateAgentRequest = z.object({
  username: Username,
  displayName: z.string().trim().min(1, 'displayName must not be empty').max(100),
  roles: Roles.default(['agent']),
  /**
   * The teams the new account joins: a member of each if it holds `agent`, a supervisor of each if
   * it holds `supervisor`. Absent: the default team (the oldest one, "General" after migration 0013).
   */
  teamIds: z.array(z.number().int().positive()).max(100).optional(),
});
export type CreateAgentRequest = z.infer<typeof CreateAgentRequest>;
export type CreateAgentInput = z.input<typeof CreateAgentRequest>;

export const SetRolesRequest = z.object({ roles: Roles });
export type SetRolesRequest = z.infer<typeof SetRolesRequest>;

/** The enrollment code is shown once: the server keeps only its hash. */
export const EnrollmentIssued = z.object({ agent: AgentView, enrollmentCode: z.string(), enrollmentExpiresAt: Time });
export type EnrollmentIssued = z.infer<typeof EnrollmentIssued>;

export const RecoveryCodesIssued = z.object({ agent: AgentView, recoveryCodes: z.array(z.string()) });

export const AuditEntryView = z.object({
  id: Id,
  at: Time,
  event: z.string(),
  outcome: z.string(),
  actor: z.string(),
  agentId: Id.nullable(),
  deviceId: Id.nullable(),
  sourceAddress: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/** The audit log's filters and page, before the check that the range is one. */
export const AuditListFields = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The action: an event's name (`device.revoked`), or its first part for all of them (`device`). */
  event: z
    .string()
    .regex(/^[a-z_.]{1,64}$/, 'event must be an action such as device.revoked, or its first part (device)')
    .optional(),
  /** Who acted, or part of it: `agent:7:alice`, `alice`, `cli:`; letters' case ignored. */
  actor: z.string().trim().min(1, 'actor must not be empty').max(200, 'actor must be at most 200 characters').optional(),
  /** From this time (epoch milliseconds, included). */
  from: z.coerce.number().int().min(0).optional(),
  /** Until this time (epoch milliseconds, left out). */
  to: z.coerce.number().int().min(0).optional(),
});

/** A time range whose start comes before its end (either may be open). */
export function rangeInOrder(range: { from?: number | undefined; to?: number | undefined }): boolean {
  return range.from === undefined || range.to === undefined || range.from < range.to;
}
export const RANGE_OUT_OF_ORDER = { message: 'from must come before to', path: ['from'] };

export const AuditListQuery = AuditListFields.refine(rangeInOrder, RANGE_OUT_OF_ORDER);
export type AuditListQuery = z.infer<typeof AuditListQuery>;
export const AuditPage = z.object({ items: z.array(AuditEntryView), nextBefore: Id.nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

/** What a checkpoint of the audit chain records: how many rows, and the last one's id and hash. */
export const AuditCheckpoint = z.object({
  rows: z.number().int().min(0),
  headId: Id.nullable(),
  headHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  /** When the server saw the chain so. */
  at: Time,
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  /** Rows written before the chain was keyed (plain SHA-256), all at its start. */
  unkeyedRows: z.number().int(),
  headHash: z.string().nullable(),
  /** The first row whose hash or link does not match; null when what is wrong is rows missing at the end. */
  firstBrokenId: Id.nullable(),
  problem: z.string().nullable(),
  /** The checkpoint the store was compared with, if any. */
  checkpoint: AuditCheckpoint.nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

/** A sign-in that is still live: an agent on a workstation, or an admin on the phone approval page. */
export const SessionView = z.object({
  id: Id,
  kind: z.enum(['device', 'approval_page']),
  agent: z.object({ id: Id, username: z.string(), displayName: z.string(), roles: z.array(Role) }),
  /** The workstation; null for the approval page on a phone. */
  device: z.object({ id: Id, label: z.string(), hostname: z.string(), os: z.string() }).nullable(),
  sourceAddress: z.string(),
  signedInAt: Time,
  /** The last sign of it: its sign-in, a token refresh (every 15 minutes while in use) or the workstation reconnecting. */
  lastSeenAt: Time,
  /** When it ends by itself (the login's absolute end). */
  expiresAt: Time,
  /** Set once it has ended (the answer to ending it). */
  endedAt: Time.nullable(),
  /** The session this list was asked from (an admin ends their own by signing out). */
  current: z.boolean(),
});
export type SessionView = z.infer<typeof SessionView>;
export const SessionList = z.object({ sessions: z.array(SessionView) });
export type SessionList = z.infer<typeof SessionList>;
