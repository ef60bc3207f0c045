/**
 * The two halves of the cache key on disk, both sealed by the OS secret store: the local secret
 * (made once per install) and the server's share with the end of its offline lease. Past the
 * lease the share is erased and the cache cannot be opened until the server hands it out again.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SealedFiles } from '../secrets/sealed-files.js';
import { deriveCacheKeys, KEY_BYTES } from './cache-keys.js';
import type { CacheKeys } from './cache-keys.js';

const LOCAL_SECRET = 'cache-local-secret';
const SHARE = 'cache-share';

const SealedShare = z.object({ share: z.string(), leaseEndsAt: z.number().int(), agentId: z.number().int() });

export class CacheSecrets {
  readonly #files: SealedFiles;

  constructor(files: SealedFiles) {
    this.#files = files;
  }

  /** Keeps the share from a login or refresh until its lease ends. */
  keepShare(share: Uint8Array, leaseEndsAt: number, agentId: number): void {
    if (share.length !== KEY_BYTES) throw new CodedError('cache_share_invalid', 'The server sent a cache key share of the wrong size.');
    const record = { share: Buffer.from(share).toString('base64'), leaseEndsAt, agentId };
    this.#files.write(SHARE, Buffer.from(JSON.stringify(record), 'utf8'));
  }

  /** The share, while its lease holds; a lapsed lease erases it. */
  share(now: number): { share: Buffer; leaseEndsAt: number; agentId: number } {
    const bytes = this.#files.read(SHARE);
    if (bytes === undefined) throw new CodedError('cache_share_missing', 'The local copy of the inbox cannot be opened without the server: sign in while online.');
    const record = SealedShare.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    if (record.leaseEndsAt <= now) {
      this.#files.erase(SHARE);
      throw new CodedError('cache_lease_expired', 'The offline lease has ended: the local copy of the inbox opens again once the server is reached.');
    }
    return { share: Buffer.from(record.share, 'base64'), leaseEndsAt: record.leaseEndsAt, agentId: record.agentId };
  }

  #localSecret(): Buffer {
    const existing = this.#files.read(LOCAL_SECRET);
    if (existing !== undefined) return Buffer.from(existing);
    const secret = crypto.randomBytes(KEY_BYTES);
    this.#files.write(LOCAL_SECRET, secret);
    return secret;
  }

  /** The cache keys from the local secret and the share held now. */
  keys(now: number): CacheKeys & { agentId: number; leaseEndsAt: number } {
    const { share, leaseEndsAt, agentId } = this.share(now);
    return { ...deriveCacheKeys(this.#localSecret(), share), agentId, leaseEndsAt };
  }

  forgetShare(): void {
    this.#files.erase(SHARE);
  }

  eraseAll(): void {
    this.#files.erase(SHARE);
    this.#files.erase(LOCAL_SECRET);
  }
}
