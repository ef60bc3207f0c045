/**
 * The workstation's Ed25519 key: made at first start, its private half sealed by the OS secret
 * store and never shown to anyone. It proves to the server that requests come from the install
 * IT approved.
 */
import crypto from 'node:crypto';
import { deviceProofMessage } from '../../common/api/device-proof.js';
import type { DeviceProof, ProofPurpose } from '../../common/api/device-proof.js';
import { formatKeyFingerprint } from '../../common/devices/key-fingerprint.js';
import type { SealedFiles } from '../secrets/sealed-files.js';

const KEY_FILE = 'device-key';

export class DeviceKey {
  readonly #privateKey: crypto.KeyObject;
  /** Raw 32 bytes, base64url: what the server stores. */
  readonly publicKey: string;
  readonly fingerprint: string;

  private constructor(privateKey: crypto.KeyObject) {
    this.#privateKey = privateKey;
    const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' }) as { x?: string };
    if (jwk.x === undefined) throw new Error('not an Ed25519 key');
    this.publicKey = jwk.x;
    this.fingerprint = formatKeyFingerprint(crypto.createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('hex'));
  }

  /** The sealed key, or a new one sealed now. */
  static loadOrCreate(files: SealedFiles): DeviceKey {
    const stored = files.read(KEY_FILE);
    if (stored !== undefined) return new DeviceKey(crypto.createPrivateKey({ key: Buffer.from(stored), format: 'der', type: 'pkcs8' }));
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    files.write(KEY_FILE, privateKey.export({ format: 'der', type: 'pkcs8' }));
    return new DeviceKey(privateKey);
  }

  static erase(files: SealedFiles): void {
    files.erase(KEY_FILE);
  }

  prove(purpose: ProofPurpose, machineId: string, nonce: string, binding = ''): DeviceProof {
    const message = Buffer.from(deviceProofMessage(purpose, machineId, nonce, binding), 'utf8');
    return { machineId, nonce, signature: crypto.sign(null, message, this.#privateKey).toString('base64url') };
  }
}
