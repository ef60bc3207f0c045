/**
 * The cache key: HKDF-SHA256 of two halves that live in different places. The local secret is
 * sealed on this machine by the OS secret store; the share comes from the server at login and
 * is kept (sealed too) only until the offline lease ends. A copied disk lacks the keyring, a
 * stolen laptop past its lease lacks the share, and a revoked device never gets the share again.
 */
import crypto from 'node:crypto';

export const KEY_BYTES = 32;

export interface CacheKeys {
  /** The SQLCipher raw key of the cache database. */
  readonly database: Buffer;
  /** AES-256-GCM key of cached media files. */
  readonly media: Buffer;
}

export function deriveCacheKeys(localSecret: Uint8Array, serverShare: Uint8Array): CacheKeys {
  if (localSecret.length !== KEY_BYTES || serverShare.length !== KEY_BYTES) throw new Error('cache key halves must be 32 bytes each');
  const ikm = Buffer.concat([localSecret, serverShare]);
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', ikm, Buffer.from('sportello-cache-v1'), info, KEY_BYTES));
  return { database: derive('database'), media: derive('media') };
}
