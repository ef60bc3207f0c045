/**
 * The cache on this workstation as a whole: the encrypted database, the media folder and the
 * two key halves, opened for one agent and wiped as one: with the device key when the workstation
 * lost its right, without it when only the agent did (disabled, authenticator reset). A wipe first
 * leaves a marker, so a wipe cut short (the app killed, the power gone) is finished at the next
 * start before anything else. Only files here: the store itself (cache-store.ts) is opened in the
 * cache worker, and main erases its files only once the worker has closed it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { overwriteAndDelete } from '../secrets/sealed-files.js';

/** The database file in the cache folder (cache-database.ts opens it). */
export const CACHE_FILE = 'cache.db';
/** The sealed media files' folder in the cache folder (media-cache.ts). */
export const MEDIA_DIR = 'media';
const CACHE_DIR = 'cache';
const WIPE_MARKER = 'wipe-pending';
const AGENT_WIPE_MARKER = 'agent-wipe-pending';

export function cacheDir(userDataDir: string): string {
  return path.join(userDataDir, CACHE_DIR);
}

/** Overwrites and deletes the database, its WAL and the cached media. */
export function eraseCacheFiles(userDataDir: string): void {
  const dir = cacheDir(userDataDir);
  for (const suffix of ['', '-wal', '-shm', '-journal']) overwriteAndDelete(path.join(dir, `${CACHE_FILE}${suffix}`));
  const media = path.join(dir, MEDIA_DIR);
  if (fs.existsSync(media)) {
    for (const name of fs.readdirSync(media)) overwriteAndDelete(path.join(media, name));
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Erases everything this workstation keeps: the cache, both key halves and whatever else
 * `eraseSecrets` removes (the device key). A marker holding the reason is written (and synced)
 * first, so a restart completes a wipe that was cut short and can still say why.
 */
export function wipeWorkstation(userDataDir: string, reason: string, eraseSecrets: () => void): void {
  underMarker(userDataDir, WIPE_MARKER, reason, eraseSecrets);
}

/**
 * Erases what this workstation keeps of the signed-in agent (the cache and both key halves, which
 * `eraseCacheSecrets` removes) and not the device key: the machine is still trusted.
 */
export function wipeAgentCache(userDataDir: string, eraseCacheSecrets: () => void): void {
  underMarker(userDataDir, AGENT_WIPE_MARKER, 'agent', eraseCacheSecrets);
}

/**
 * Leaves the marker of a workstation wipe about to happen (main first closes the cache), so that
 * whatever cuts it short, the next start finishes it and can still say why.
 */
export function markWipe(userDataDir: string, reason: string): void {
  writeMarker(userDataDir, WIPE_MARKER, reason);
}

/** Leaves the marker of an agent's wipe about to happen, as markWipe does. */
export function markAgentWipe(userDataDir: string): void {
  writeMarker(userDataDir, AGENT_WIPE_MARKER, 'agent');
}

/** Writes the marker (whole, then renamed, synced: it never exists without its content). */
function writeMarker(userDataDir: string, name: string, content: string): string {
  fs.mkdirSync(userDataDir, { recursive: true, mode: 0o700 });
  const marker = path.join(userDataDir, name);
  const temp = `${marker}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  fs.writeSync(fd, content);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temp, marker);
  return marker;
}

/** Writes the marker, erases, removes the marker. */
function underMarker(userDataDir: string, name: string, content: string, eraseSecrets: () => void): void {
  const marker = writeMarker(userDataDir, name, content);
  eraseCacheFiles(userDataDir);
  eraseSecrets();
  fs.unlinkSync(marker);
}

/** Whether cache files are on disk (open or not). */
export function cacheExists(userDataDir: string): boolean {
  return fs.existsSync(cacheDir(userDataDir));
}

/** Finishes an agent's wipe that was cut short; true when there was one. */
export function finishInterruptedAgentWipe(userDataDir: string, eraseCacheSecrets: () => void): boolean {
  if (!fs.existsSync(path.join(userDataDir, AGENT_WIPE_MARKER))) return false;
  wipeAgentCache(userDataDir, eraseCacheSecrets);
  return true;
}

/** The reason of a wipe that was cut short and has just been finished; undefined when there was none. */
export function finishInterruptedWipe(userDataDir: string, eraseSecrets: () => void): string | undefined {
  const marker = path.join(userDataDir, WIPE_MARKER);
  if (!fs.existsSync(marker)) return undefined;
  const reason = fs.readFileSync(marker, 'utf8').trim() || 'This workstation was revoked by an administrator.';
  wipeWorkstation(userDataDir, reason, eraseSecrets);
  return reason;
}
