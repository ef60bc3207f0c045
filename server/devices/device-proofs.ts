/**
 * Device proofs: fresh single-use nonces, and Ed25519 signatures over them by a workstation's key
 * (common/api/device-proof.ts defines the signed text). A nonce is consumed inside the
 * transaction of the act it authorises, so it can never serve twice.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeviceProof, NonceGrant, ProofPurpose } from '../../common/api/device-proof.js';
import { deviceProofMessage } from '../../common/api/device-proof.js';
import { formatKeyFingerprint } from '../../common/devices/key-fingerprint.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { DeviceRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { untoldRetiredKey } from './retired-keys.js';

export const NONCE_TTL_MS = 120_000;

export async function issueNonce(committer: GroupCommitter, now: number): Promise<NonceGrant> {
  const nonce = crypto.randomBytes(32).toString('base64url');
  const expiresAt = now + NONCE_TTL_MS;
  await committer.submit(async (trx) => {
    await trx.deleteFrom('auth_nonces').where('expires_at', '<=', now).execute();
    await trx.insertInto('auth_nonces').values({ nonce, expires_at: expiresAt }).execute();
  });
  return { nonce, expiresAt };
}

/** True once per issued, unexpired nonce. */
export async function consumeNonce(trx: StoreTransaction, nonce: string, now: number): Promise<boolean> {
  const row = await trx.deleteFrom('auth_nonces').where('nonce', '=', nonce).returning('expires_at').executeTakeFirst();
  return row !== undefined && row.expires_at > now;
}

function publicKeyObject(rawBase64Url: string): crypto.KeyObject | undefined {
  try {
    return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawBase64Url }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

export function isUsablePublicKey(rawBase64Url: string): boolean {
  return Buffer.from(rawBase64Url, 'base64url').length === 32 && publicKeyObject(rawBase64Url) !== undefined;
}

/** Checks the signature only; the caller consumes the nonce in its transaction. */
export function isValidProofSignature(publicKey: string, proof: DeviceProof, purpose: ProofPurpose, binding = ''): boolean {
  const key = publicKeyObject(publicKey);
  if (key === undefined) return false;
  const message = Buffer.from(deviceProofMessage(purpose, proof.machineId, proof.nonce, binding), 'utf8');
  try {
    return crypto.verify(null, message, key, Buffer.from(proof.signature, 'base64url'));
  } catch {
    return false;
  }
}

export function keyFingerprint(publicKey: string): string {
  return formatKeyFingerprint(crypto.createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex'));
}

export class DeviceProofError extends CodedError<'proof_invalid' | 'device_revoked' | 'device_not_active' | 'device_unknown'> {}

/**
 * The active device whose key signed this proof. Refuses a revoked device by name (the client
 * then wipes itself), and any other failure as `proof_invalid` without saying which part failed.
 * The nonce is not consumed here: the caller does it in the transaction of the act.
 */
export async function activeDeviceForProof(db: Kysely<InboxDatabase>, proof: DeviceProof, purpose: ProofPurpose, binding = ''): Promise<DeviceRow> {
  const device = await db.selectFrom('devices').selectAll().where('machine_id', '=', proof.machineId).executeTakeFirst();
  if (device !== undefined && (device.public_key === null || !isValidProofSignature(device.public_key, proof, purpose, binding))) {
    // A key that lost its right is refused by name until told (by the status call), so its install wipes itself.
    const retired = await untoldRetiredKey(db, device.id, (publicKey) => isValidProofSignature(publicKey, proof, purpose, binding));
    if (retired !== undefined) throw new DeviceProofError('device_revoked', retired.reason);
  }
  if (device?.public_key == null || !isValidProofSignature(device.public_key, proof, purpose, binding)) {
    throw new DeviceProofError('proof_invalid', 'This workstation could not prove it is a paired device: pair it again or ask IT.');
  }
  if (device.status === 'revoked') throw new DeviceProofError('device_revoked', 'This workstation has been revoked by an administrator.');
  if (device.status !== 'active') throw new DeviceProofError('device_not_active', 'This workstation is not approved yet.');
  return device;
}

/** Consumes the proof's nonce inside the act's transaction, or refuses the act. */
export async function spendProofNonce(trx: StoreTransaction, proof: DeviceProof, now: number): Promise<void> {
  if (!(await consumeNonce(trx, proof.nonce, now))) {
    throw new DeviceProofError('proof_invalid', 'The request used an expired or already used nonce: ask for a new one and try again.');
  }
}
