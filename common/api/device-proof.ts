/**
 * A device proof: the workstation's Ed25519 key signing a fresh server nonce for one purpose.
 * Login, refresh, the event socket and the pairing calls carry one, so a stolen token or a copied
 * machine ID is useless without the key sealed on that machine.
 */
import { z } from 'zod';

/** The app-scoped machine ID: hex HMAC-SHA256 of the OS machine ID, never the raw OS value. */
export const MachineId = z.string().regex(/^[0-9a-f]{64}$/, 'machineId must be 64 lowercase hex characters (the app-scoped machine ID)');

/** An Ed25519 public key: the raw 32 bytes in base64url. */
export const DevicePublicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'publicKey must be a raw Ed25519 public key in base64url (43 characters)');

export const Nonce = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'nonce must be a nonce issued by POST /v1/auth/nonce');

export const PROOF_PURPOSES = [
  'device.status',
  'pairing.request',
  'pairing.code',
  'pairing.status',
  'enrollment.start',
  'enrollment.confirm',
  'login',
  'refresh',
  'unlock',
  'events.connect',
] as const;
export type ProofPurpose = (typeof PROOF_PURPOSES)[number];

export const DeviceProof = z.object({
  machineId: MachineId,
  nonce: Nonce,
  /** Ed25519 signature (64 bytes, base64url) of deviceProofMessage(purpose, machineId, nonce, binding). */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'signature must be an Ed25519 signature in base64url (86 characters)'),
});
export type DeviceProof = z.infer<typeof DeviceProof>;

/** The exact text signed (as UTF-8). `binding` ties the proof to one request (a pairing id, a username). */
export function deviceProofMessage(purpose: ProofPurpose, machineId: string, nonce: string, binding = ''): string {
  return ['sportello-device-proof/v1', purpose, machineId, nonce, binding].join('\n');
}

export const NonceGrant = z.object({ nonce: Nonce, expiresAt: z.number().int() });
export type NonceGrant = z.infer<typeof NonceGrant>;
