/** Pairing a workstation with the server: the wire shapes of /v1/pairings and /v1/device. */
import { z } from 'zod';
import { DeviceProof, DevicePublicKey, MachineId } from './device-proof.js';

const Label = (what: string, max: number) => z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

/** Electron safeStorage backends (Linux: basic_text, gnome_libsecret, kwallet…; macOS: keychain; Windows: dpapi). */
export const StorageBackend = z.string().regex(/^[a-z0-9_]{1,32}$/, 'storageBackend must be the secret-storage backend name, e.g. gnome_libsecret');

export const PairingRequest = z.object({
  machineId: MachineId,
  publicKey: DevicePublicKey,
  hostname: Label('hostname', 253),
  os: Label('os', 100),
  appVersion: Label('appVersion', 40),
  storageBackend: StorageBackend,
  /**
   * Signed by `publicKey` (purpose pairing.request): the same install asking again, whose own
   * earlier pending pairing this one then replaces. Without it a request replaces nothing.
   */
  proof: DeviceProof.optional(),
});
export type PairingRequest = z.infer<typeof PairingRequest>;

export const PairingIdParams = z.object({ id: z.coerce.number().int().positive('the pairing id must be a positive whole number') });

export const PairingCodeGrant = z.object({
  /** Formatted for reading: ACDE-FGHJ. */
  code: z.string(),
  codeExpiresAt: z.number().int(),
  /** The page IT opens from the QR to approve this machine. */
  approvalUrl: z.string(),
  codesLeft: z.number().int().nonnegative(),
});
export type PairingCodeGrant = z.infer<typeof PairingCodeGrant>;

export const PairingStarted = PairingCodeGrant.extend({
  pairingId: z.number().int().positive(),
  expiresAt: z.number().int(),
  keyFingerprint: z.string(),
});
export type PairingStarted = z.infer<typeof PairingStarted>;

export const PairingProofRequest = z.object({ proof: DeviceProof });
export type PairingProofRequest = z.infer<typeof PairingProofRequest>;

export const PairingState = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'expired', 'superseded']),
  expiresAt: z.number().int(),
});
export type PairingState = z.infer<typeof PairingState>;

export const DeviceStatusRequest = z.object({ proof: DeviceProof });

/** What the server knows of this machine with this key. unknown: not paired with this key. */
export const DeviceState = z.object({
  status: z.enum(['unknown', 'pending', 'active', 'rejected', 'revoked']),
  label: z.string().optional(),
  revokedReason: z.string().optional(),
  /** Why, when the server names it: `key_replaced` (an approved re-pairing gave this machine a new key). */
  reasonCode: z.enum(['key_replaced']).optional(),
});
export type DeviceState = z.infer<typeof DeviceState>;
