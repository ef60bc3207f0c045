/**
 * The open cache of one agent, as the cache worker holds it (cache-worker.ts): the encrypted
 * database with the inbox, its notes, the outbox and the media index over it. Synchronous, one connection,
 * used by one thread; main never holds it.
 */
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openCacheDatabase } from './cache-database.js';
import type { CacheKeys } from './cache-keys.js';
import { InboxCache } from './inbox-cache.js';
import { MediaCache } from './media-cache.js';
import { NoteCache } from './note-cache.js';
import { OutboxStore } from './outbox-store.js';
import { ScheduleCache } from './schedule-cache.js';
import { cacheDir, eraseCacheFiles, MEDIA_DIR } from './workstation-cache.js';

export interface CacheStore {
  readonly db: Database.Database;
  readonly inbox: InboxCache;
  readonly notes: NoteCache;
  /** Scheduled messages and this agent's reminders (schedule-cache.ts). */
  readonly schedule: ScheduleCache;
  readonly outbox: OutboxStore;
  readonly media: MediaCache;
  close(): void;
}

/** The keys of one agent's cache (derived in main from the sealed halves, cache-secrets.ts). */
export interface AgentCacheKeys extends CacheKeys {
  readonly agentId: number;
}

/** Opens the cache with the agent's keys; a cache of another agent, or under another key, is wiped and started afresh. */
export function openCacheStore(userDataDir: string, keys: AgentCacheKeys, now: () => number, mediaCapBytes?: number): CacheStore {
  const dir = cacheDir(userDataDir);
  let db: Database.Database;
  try {
    db = openCacheDatabase(dir, keys.database);
  } catch (error) {
    if ((error as { code?: string }).code !== 'cache_key_wrong') throw error;
    // A cache under another key (the device was paired again) is of no use: start afresh.
    eraseCacheFiles(userDataDir);
    db = openCacheDatabase(dir, keys.database);
  }
  const owner = new InboxCache(db).state('agent_id');
  if (owner !== undefined && owner !== String(keys.agentId)) {
    db.close();
    eraseCacheFiles(userDataDir);
    db = openCacheDatabase(dir, keys.database);
  }
  const media = new MediaCache({ dir: path.join(dir, MEDIA_DIR), key: keys.media, db, capBytes: mediaCapBytes, now });
  // Media follows its messages: what a forgotten conversation carried goes, here and after a crash.
  media.eraseUnlisted();
  const notes = new NoteCache(db);
  const schedule = new ScheduleCache(db);
  const inbox = new InboxCache(db, { onForgotten: () => media.eraseUnlisted(), notes, schedule });
  inbox.setState('agent_id', String(keys.agentId));
  return {
    db,
    inbox,
    notes,
    schedule,
    outbox: new OutboxStore(db),
    media,
    close: () => db.close(),
  };
}
