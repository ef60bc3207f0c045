/**
 * The tables of device trust, agent identity, sessions, the audit log and the client event feed
 * (migration 0003). Same portability rules as schema.ts: epoch-ms integers, 0/1 booleans, text JSON.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Id = Generated<number>;
type Counter = ColumnType<number, number | undefined, number>;

export interface DeviceAllowlistTable {
  /** The app-scoped machine ID (hex HMAC of the OS machine ID), as the client computes it. */
  machine_id: string;
  label: string;
  added_by: string;
  added_at: number;
}

export type DeviceStatus = 'pending' | 'active' | 'rejected' | 'revoked';

export interface DevicesTable {
  id: Id;
  machine_id: string;
  /** Ed25519 public key, raw 32 bytes in base64url; null until a pairing is approved. */
  public_key: string | null;
  key_fingerprint: string | null;
  hostname: string;
  os: string;
  app_version: string;
  storage_backend: string;
  label: string;
  status: DeviceStatus;
  approved_by: string | null;
  approved_at: number | null;
  revoked_by: string | null;
  revoked_at: number | null;
  revoked_reason: string | null;
  /** The device's cache-key share, sealed with the server key; forgotten on revocation. */
  cache_share_sealed: string | null;
  failed_logins: Counter;
  failed_logins_since: number | null;
  last_seen_at: number | null;
  created_at: number;
  updated_at: number;
}

export type PairingStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded';

export interface PairingsTable {
  id: Id;
  device_id: number;
  public_key: string;
  key_fingerprint: string;
  hostname: string;
  os: string;
  app_version: string;
  storage_backend: string;
  status: PairingStatus;
  codes_issued: Counter;
  created_at: number;
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
  /** The source address of the request (migration 0008; null before). */
  requested_from: string | null;
  /** 1 when another pending pairing of the same machine ID was waiting as this one arrived. */
  contested: Counter;
}

export interface PairingCodesTable {
  id: Id;
  pairing_id: number;
  /** HMAC of the code under the server key: a leaked table does not give out live codes. */
  code_hash: string;
  issued_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Why a key lost its right: its device was revoked, or an approved re-pairing replaced it. */
export type RetiredKeyCause = 'revoked' | 'key_replaced';

/** A key its device may no longer use (migration 0007): told `revoked` until told once. */
export interface RetiredDeviceKeysTable {
  id: Id;
  device_id: number;
  public_key: string;
  key_fingerprint: string;
  cause: RetiredKeyCause;
  /** What the old install is told (the admin's revocation reason, or why the key was replaced). */
  reason: string;
  retired_at: number;
  /** When a proof or status call signed by this key was answered `revoked`; null until then. */
  told_at: number | null;
}

export type AgentRole = 'agent' | 'supervisor' | 'admin';
export type AgentStatus = 'enrolling' | 'active' | 'disabled';

export interface AgentsTable {
  id: Id;
  /** Lowercase; unique. */
  username: string;
  display_name: string;
  /** The roles held, in ROLES order joined by commas ("agent,supervisor"); migration 0013 (before it, one `role`). */
  roles: ColumnType<string, string | undefined, string>;
  status: AgentStatus;
  password_hash: string | null;
  totp_secret_sealed: string | null;
  /** The last TOTP time step accepted: that step and every earlier one are refused (replay). */
  totp_last_step: number | null;
  enrollment_code_hash: string | null;
  enrollment_expires_at: number | null;
  enrollment_failures: Counter;
  /** Between enrollment start and confirmation. */
  pending_password_hash: string | null;
  pending_totp_secret_sealed: string | null;
  pending_enrollment_id: string | null;
  pending_enrollment_device_id: number | null;
  pending_enrollment_expires_at: number | null;
  failed_logins: Counter;
  locked_at: number | null;
  disabled_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface RecoveryCodesTable {
  id: Id;
  agent_id: number;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export type SessionKind = 'device' | 'approval_page';

export interface SessionsTable {
  id: Id;
  kind: SessionKind;
  agent_id: number;
  /** Null only for the approval page's short admin session on a phone. */
  device_id: number | null;
  access_hash: string;
  access_expires_at: number;
  refresh_hash: string | null;
  /** The login's absolute end: refresh stops working here. */
  expires_at: number;
  /** Approval page: the CSRF token's HMAC. */
  csrf_hash: string | null;
  source_address: string;
  created_at: number;
  last_used_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

/** Usernames that do not exist, locked after MAX_AGENT_FAILURES like real accounts (migration 0006). */
export interface UnknownUsernameLocksTable {
  /** HMAC of the username under the server key. */
  username_hash: string;
  locked_at: number;
}

/** Failures against unknown usernames below the lock, on PostgreSQL (several replicas; migration 0036). */
export interface UnknownUsernameFailuresTable {
  username_hash: string;
  failures: number;
  last_at: number;
}

/** The approval page's throttle on PostgreSQL (several replicas; migration 0036). */
export interface PageLoginAttemptsTable {
  kind: string;
  key_hash: string;
  attempts: number;
  last_at: number;
}

/** Refresh tokens a session has replaced: one presented again ends the session (migration 0006). */
export interface RetiredRefreshTokensTable {
  token_hash: string;
  session_id: number;
  /** The session's absolute end; the row may go after it. */
  expires_at: number;
  retired_at: number;
}

export interface AuthNoncesTable {
  nonce: string;
  expires_at: number;
}

export interface AuditLogTable {
  id: Id;
  at: number;
  event: string;
  outcome: string;
  actor: string;
  agent_id: number | null;
  device_id: number | null;
  source_address: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
  /** 1: plain SHA-256, rows written before migration 0010; 2: HMAC under the audit chain's key (server/audit/audit-chain.ts). */
  chain_version: number;
}

/** assignment: the conversation's owner changed (it may leave some agents' view); note: an internal note was added (migration 0015); history: an entry of its history (migration 0016). */
export type FeedEventKind = 'message' | 'status' | 'conversation' | 'assignment' | 'note' | 'history' | 'scheduled' | 'reminder';

export interface EventsTable {
  seq: Id;
  kind: FeedEventKind;
  conversation_id: number;
  message_id: number | null;
  /** The note a `note` event is of (migration 0015). */
  note_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** A `history` event's entry (conversation_history.id, migration 0016). */
  entry_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** A scheduled message's change, a reminder come due (migration 0033). */
  scheduled_id: ColumnType<number | null, number | null | undefined, number | null>;
  reminder_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: number;
}

export interface IdentityTables {
  device_allowlist: DeviceAllowlistTable;
  devices: DevicesTable;
  pairings: PairingsTable;
  pairing_codes: PairingCodesTable;
  retired_device_keys: RetiredDeviceKeysTable;
  agents: AgentsTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  unknown_username_locks: UnknownUsernameLocksTable;
  unknown_username_failures: UnknownUsernameFailuresTable;
  page_login_attempts: PageLoginAttemptsTable;
  retired_refresh_tokens: RetiredRefreshTokensTable;
  auth_nonces: AuthNoncesTable;
  audit_log: AuditLogTable;
  events: EventsTable;
}

export type DeviceRow = Selectable<DevicesTable>;
export type PairingRow = Selectable<PairingsTable>;
export type RetiredDeviceKeyRow = Selectable<RetiredDeviceKeysTable>;
export type AgentRow = Selectable<AgentsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
