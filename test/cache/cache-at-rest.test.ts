/**
 * The local cache at rest: nothing readable in the database, its rollback journal (after a commit
 * and while a write is open) or the media folder, where a plain SQLite copy written by the same
 * code shows every one of the same strings (so the search would find them); no way in without the
 * share, with a wrong key or past the lease, each refused cleanly (each key half alone:
 * cache-key-needs-both-halves.test.ts); and a wipe cut short by a kill finished at the next start.
 */
import { spawn } from 'node:child_process';
import { teamViewer } from '../helpers/cache-rows.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3-multiple-ciphers';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { InboxCache } from '../../main/cache/inbox-cache.js';
import { CACHE_FILE, cacheDir, finishInterruptedWipe } from '../../main/cache/workstation-cache.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { conversationView, textMessageView } from '../helpers/cache-rows.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { openPlainCacheCopy } from '../helpers/plain-cache-copy.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

const NAMES = ['Giulietta Capuleti', 'Bartolomeo Colleoni'];
const PHONES = ['393471234567', '393339876543'];
const TEXTS = ['Il mio codice cliente è ZEBRA-4471', 'Please deliver to Via Garibaldi 12, third floor'];

function conversation(id: number, index: number) {
  return conversationView(id, { customer: { contactId: id, name: NAMES[index] ?? null, phone: PHONES[index] ?? null, username: null } });
}

function setup() {
  const temp = makeTempDir('sportello-cache-');
  temps.push(temp);
  const keyring = new TestKeyring();
  const secrets = new CacheSecrets(new SealedFiles(path.join(temp.dir, 'secrets'), keyring));
  const share = crypto.randomBytes(32);
  return { dir: temp.dir, keyring, secrets, share };
}

const NEEDLES = [...NAMES, ...PHONES, ...TEXTS, 'ZEBRA', 'Garibaldi', 'Capuleti'];

/** The customer data found in a file's bytes, as UTF-8 or as UTF-16. */
function needlesIn(file: string): string[] {
  const bytes = fs.readFileSync(file);
  return NEEDLES.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le')));
}

/** The two conversations and their messages, as pages bring them. */
function storeCustomers(inbox: InboxCache): void {
  inbox.storePage(
    { conversations: [conversation(1, 0), conversation(2, 1)], messages: [textMessageView(10, 1, TEXTS[0] ?? ''), textMessageView(11, 2, TEXTS[1] ?? '')] },
    1,
  );
}

/**
 * Opens a write transaction that rewrites every row holding the customers' words (a deletion
 * arriving from the feed), so the rollback journal holds those rows' pages as they were, and
 * calls `look` while it is still open.
 */
function whileRewriting(db: Database.Database, look: () => void): void {
  db.exec('begin immediate');
  try {
    db.prepare(`update messages set search_text = null, view_json = '{}'`).run();
    db.prepare(`update conversations set customer_name = null, customer_phone = null, summary_json = '{}'`).run();
    look();
  } finally {
    db.exec('rollback');
  }
}

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

describe('the cache at rest', () => {
  it('holds no message text, name or number readable on disk: database, journal or media', () => {
    const { dir, secrets, share } = setup();
    secrets.keepShare(share, Date.now() + 60_000, 7);
    const cache = openWorkstationCache(dir, secrets, Date.now);
    storeCustomers(cache.inbox);
    cache.media.put(10, 'text/plain', Buffer.from(`attachment about ${TEXTS[0]}`));
    expect(cache.inbox.search(teamViewer(7, 'supervisor'), 'zebra', 10).map((hit) => hit.messageId)).toEqual([10]);
    // Before closing: every file the cache has, the rollback journal included.
    const files = filesUnder(cacheDir(dir));
    expect(files.some((file) => file.endsWith('cache.db'))).toBe(true);
    expect(files.some((file) => file.includes(`${path.sep}media${path.sep}`))).toBe(true);
    for (const file of files) expect(needlesIn(file), path.basename(file)).toEqual([]);
    cache.close();
  });

  it('keeps the journal unreadable while a write transaction is open, where a plain copy shows it all', () => {
    const { dir, secrets, share } = setup();
    secrets.keepShare(share, Date.now() + 60_000, 7);
    const cache = openWorkstationCache(dir, secrets, Date.now);
    const plain = openPlainCacheCopy(path.join(dir, 'plain', CACHE_FILE));
    try {
      storeCustomers(cache.inbox);
      storeCustomers(new InboxCache(plain));
      // The control: the same code writing without the cipher leaves every string in the file.
      expect(needlesIn(path.join(dir, 'plain', CACHE_FILE))).toEqual(NEEDLES);
      expect(needlesIn(path.join(cacheDir(dir), CACHE_FILE))).toEqual([]);

      const journal = (folder: string) => path.join(folder, `${CACHE_FILE}-journal`);
      whileRewriting(plain, () => {
        expect(fs.statSync(journal(path.join(dir, 'plain'))).size).toBeGreaterThan(0);
        expect(needlesIn(journal(path.join(dir, 'plain')))).toEqual(NEEDLES);
      });
      whileRewriting(cache.db, () => {
        expect(fs.statSync(journal(cacheDir(dir))).size).toBeGreaterThan(0);
        expect(needlesIn(journal(cacheDir(dir)))).toEqual([]);
        expect(needlesIn(path.join(cacheDir(dir), CACHE_FILE))).toEqual([]);
      });
    } finally {
      plain.close();
      cache.close();
    }
  });

  it('cannot be opened without the server’s share, with a wrong key, or past the lease — and says so', () => {
    const { dir, secrets, share } = setup();
    expect(() => openWorkstationCache(dir, secrets, Date.now)).toThrow(expect.objectContaining({ code: 'cache_share_missing' }));

    secrets.keepShare(share, Date.now() + 60_000, 7);
    const cache = openWorkstationCache(dir, secrets, Date.now);
    cache.inbox.storePage({ conversations: [conversation(1, 0)] }, 1);
    cache.close();

    // A key that is not this cache's opens nothing (each half alone: cache-key-needs-both-halves.test.ts).
    expect(() => openCacheDatabase(cacheDir(dir), crypto.randomBytes(32))).toThrow(expect.objectContaining({ code: 'cache_key_wrong' }));

    secrets.keepShare(share, Date.now() - 1, 7);
    expect(() => openWorkstationCache(dir, secrets, Date.now)).toThrow(expect.objectContaining({ code: 'cache_lease_expired' }));
    // The lapsed share is gone from disk, not just refused.
    expect(() => secrets.share(Date.now())).toThrow(expect.objectContaining({ code: 'cache_share_missing' }));
  });

  it('is finished at the next start when the app is killed during a wipe', async () => {
    const { dir, secrets, share } = setup();
    secrets.keepShare(share, Date.now() + 60_000, 7);
    const cache = openWorkstationCache(dir, secrets, Date.now);
    cache.inbox.storePage({ conversations: [conversation(1, 0)], messages: [textMessageView(10, 1, TEXTS[0] ?? '')] }, 1);
    for (let i = 0; i < 400; i += 1) cache.media.put(1000 + i, 'application/octet-stream', crypto.randomBytes(64 * 1024));
    cache.close();
    const before = filesUnder(cacheDir(dir)).length;
    expect(before).toBeGreaterThan(400);

    // Another process wipes; it is killed once the wipe has begun.
    const script = `import { wipeWorkstation } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../main/cache/workstation-cache.ts'))};
      wipeWorkstation(process.argv[1], 'Revoked for the test', () => {});`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: 'ignore' });
    const marker = path.join(dir, 'wipe-pending');
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (fs.existsSync(marker)) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        } else if (Date.now() - started > 20_000 || child.exitCode !== null) {
          clearInterval(poll);
          reject(new Error('the wipe never started, or finished before it could be interrupted'));
        }
      }, 1);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.existsSync(marker)).toBe(true);
    const left = filesUnder(cacheDir(dir)).length;
    expect(left).toBeGreaterThan(0);

    const erasedSecrets: string[] = [];
    expect(finishInterruptedWipe(dir, () => erasedSecrets.push('secrets'))).toBe('Revoked for the test');
    expect(filesUnder(cacheDir(dir))).toEqual([]);
    expect(fs.existsSync(marker)).toBe(false);
    expect(erasedSecrets).toEqual(['secrets']);
    expect(finishInterruptedWipe(dir, () => erasedSecrets.push('again'))).toBeUndefined();
  });
});
