/**
 * The two halves of the cache key on disk, both sealed by the OS secret store: the local secret
 * (made once per install) and the server's share with the end of its offline lease and the
 * high-water time the lease is judged by (never in a plain file). Past the lease the share is
 * erased (at start, at quit, while the app runs, or when it is read) and the cache cannot be
 * opened until the server hands it out again.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SealedFiles } from '../secrets/sealed-files.js';
import { deriveCacheKeys, KEY_BYTES } from './cache-keys.js';
import type { CacheKeys } from './cache-keys.js';
import type { LeaseClock } from './lease-clock.js';

const LOCAL_SECRET = 'cache-local-secret';
const SHARE = 'cache-share';

const SealedShare = z.object({
  share: z.string(),
  leaseEndsAt: z.number().int(),
  agentId: z.number().int(),
  /** The latest time seen while the share was held: the lease is never judged by an earlier one. */
  highWater: z.number().default(0),
});
type SealedShare = z.infer<typeof SealedShare>;

export type LeaseHeld = 'held' | 'erased' | 'none';

export const leaseExpired = () =>
  new CodedError('cache_lease_expired', 'The offline lease has ended: the local copy of the inbox opens again once the server is reached.');

export class CacheSecrets {
  readonly #files: SealedFiles;

  constructor(files: SealedFiles) {
    this.#files = files;
  }

  /** Keeps the share from a login or refresh until its lease ends; `seenAt` is the latest time known now. */
  keepShare(share: Uint8Array, leaseEndsAt: number, agentId: number, seenAt = 0): void {
    if (share.length !== KEY_BYTES) throw new CodedError('cache_share_invalid', 'The server sent a cache key share of the wrong size.');
    let highWater = seenAt;
    try {
      highWater = Math.max(highWater, this.#record()?.highWater ?? 0);
    } catch {
      // An unreadable earlier record is replaced whole.
    }
    this.#write({ share: Buffer.from(share).toString('base64'), leaseEndsAt, agentId, highWater });
  }

  /** The share, while its lease holds (judged by `now` or the sealed high-water time, whichever is later); a lapsed lease erases it. */
  share(now: number): { share: Buffer; leaseEndsAt: number; agentId: number } {
    const record = this.#record();
    if (record === undefined)
      throw new CodedError('cache_share_missing', 'The local copy of the inbox cannot be opened without the server: sign in while online.');
    if (record.leaseEndsAt <= Math.max(now, record.highWater)) {
      this.#files.erase(SHARE);
      throw leaseExpired();
    }
    return { share: Buffer.from(record.share, 'base64'), leaseEndsAt: record.leaseEndsAt, agentId: record.agentId };
  }

  /**
   * Judges the lease by `clock` (which first learns the sealed high-water time): a lapsed or
   * unreadable share is erased; a held one keeps the new high-water time sealed with it once it
   * has moved on by `minStepMs` (0 at start and quit; more while the app runs, to spare the disk).
   */
  holdLease(clock: LeaseClock, minStepMs = 0): LeaseHeld {
    let record: SealedShare | undefined;
    try {
      record = this.#record();
    } catch {
      this.#files.erase(SHARE);
      return 'erased';
    }
    if (record === undefined) return 'none';
    clock.observe(record.highWater);
    const now = clock.now();
    if (record.leaseEndsAt <= now) {
      this.#files.erase(SHARE);
      return 'erased';
    }
    if (now > record.highWater + minStepMs) this.#write({ ...record, highWater: now });
    return 'held';
  }

  #record(): SealedShare | undefined {
    const bytes = this.#files.read(SHARE);
    if (bytes === undefined) return undefined;
    return SealedShare.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  }

  #write(record: SealedShare): void {
    this.#files.write(SHARE, Buffer.from(JSON.stringify(record), 'utf8'));
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

  /** Whether either half is on disk: this install has held a cache (it was paired and signed in). */
  held(): boolean {
    return this.#files.has(SHARE) || this.#files.has(LOCAL_SECRET);
  }

  forgetShare(): void {
    this.#files.erase(SHARE);
  }

  eraseAll(): void {
    this.#files.erase(SHARE);
    this.#files.erase(LOCAL_SECRET);
  }
}
