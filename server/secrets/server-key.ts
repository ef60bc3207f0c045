/**
 * The server key: seals secrets at rest (TOTP secrets, cache-key shares) with AES-256-GCM and
 * keys the HMACs of short codes and of the audit chain. From SPORTELLO_SERVER_KEY; the sandbox generates one into the
 * data dir (mode 0600) so `npm start` needs no setup.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../common/errors/coded-error.js';

export const SANDBOX_KEY_FILE = 'server.key';
const SEALED_VERSION = 'v1';

export class ServerKey {
  readonly #sealKey: Buffer;
  readonly #macKey: Buffer;
  readonly #auditKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new CodedError('server_key_invalid', 'The server key must be 32 bytes.');
    // Separate subkeys per use, so a sealed value can never be confused with a MAC.
    this.#sealKey = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'sportello seal v1', 32));
    this.#macKey = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'sportello mac v1', 32));
    this.#auditKey = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), 'sportello audit chain v1', 32));
  }

  /** AES-256-GCM; `context` (e.g. "totp:agent:7") is bound as associated data, so a value cannot be moved to another row. */
  seal(plain: Buffer, context: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#sealKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return [SEALED_VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  open(sealed: string, context: string): Buffer {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== SEALED_VERSION || iv === undefined || body === undefined || tag === undefined) {
      throw new CodedError('sealed_value_unreadable', 'A sealed value in the store has an unknown format.');
    }
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.#sealKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    } catch (error) {
      throw new CodedError('sealed_value_unreadable', 'A sealed value could not be opened: was SPORTELLO_SERVER_KEY changed?', undefined, { cause: error });
    }
  }

  /** Keyed hash of a short secret (codes, tokens): a copy of the table gives nothing to try offline. */
  mac(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.#macKey).update(`${purpose}\0${value}`).digest('base64url');
  }

  /**
   * HMAC-SHA256 (hex) under the audit chain's own subkey, for the chain's rows and checkpoints
   * (server/audit/): without the server key, nobody who can write the database can recompute them.
   */
  auditHmac(purpose: string, message: string): string {
    return crypto.createHmac('sha256', this.#auditKey).update(`${purpose}\0${message}`).digest('hex');
  }

  /** Whether `value` is the one whose MAC is stored, compared in constant time. */
  macMatches(purpose: string, value: string, stored: string | null): boolean {
    if (stored === null) return false;
    const actual = Buffer.from(this.mac(purpose, value), 'base64url');
    const expected = Buffer.from(stored, 'base64url');
    return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
  }
}

/** The configured key, or (sandbox only) the one kept in the data dir, created on first start. */
export function loadServerKey(configured: Buffer | undefined, dataDir: string): { key: ServerKey; generated: boolean; file?: string } {
  if (configured !== undefined) return { key: new ServerKey(configured), generated: false };
  const file = path.join(dataDir, SANDBOX_KEY_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    const bytes = Buffer.from(existing, 'base64');
    if (bytes.length !== 32)
      throw new CodedError('server_key_invalid', `${file} does not hold a 32-byte base64 key: delete it only if the data dir holds nothing you need.`);
    return { key: new ServerKey(bytes), generated: false, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const bytes = crypto.randomBytes(32);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${bytes.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key: new ServerKey(bytes), generated: true, file };
}
