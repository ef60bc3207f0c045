/**
 * Failures against usernames that do not exist are counted so they lock like real accounts (and
 * lockout reveals nothing). The counter was a Map that grew with every name tried, and a restart
 * forgot every lock it held while real accounts stayed locked, which told which names were real.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BoundedLru } from '../../server/credentials/bounded-lru.js';
import { MAX_AGENT_FAILURES } from '../../server/credentials/credential-check.js';
import { UnknownUsernameLocks } from '../../server/credentials/unknown-username-locks.js';
import { ServerKey } from '../../server/secrets/server-key.js';
import { freshStores } from '../helpers/fresh-store.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const openStore = freshStores();
const temps: Array<{ remove: () => void }> = [];
let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const temp of temps.splice(0)) temp.remove();
});

describe('the unknown-username counter', () => {
  it('keeps an unknown username locked across a restart, as a real account stays locked', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    running = await startTestServer({ dataDir: temp.dir });
    const device = await approvedDevice(running, 'lock-desk');
    const paola = await enrolledAgent(running, device, 'paola');
    for (const username of ['paola', 'ghost']) {
      for (let i = 0; i < MAX_AGENT_FAILURES; i += 1) {
        device.sourceAddress = `127.0.7.${i + 1}`;
        expect((await device.login(username, `guess ${i}`, { kind: 'totp', code: '222222' })).status).toBe(401);
      }
      await running.server.database.db.updateTable('devices').set({ failed_logins: 0, failed_logins_since: null }).execute();
    }
    const answers = async () => ({
      paola: (await device.login('paola', paola.password, { kind: 'recovery', code: paola.recoveryCodes[0] ?? '' })).body,
      ghost: (await device.login('ghost', 'guess again', { kind: 'totp', code: '222222' })).body,
    });
    const locked = { paola: { error: { code: 'login_locked' } }, ghost: { error: { code: 'login_locked' } } };
    device.sourceAddress = '127.0.8.1';
    expect(await answers()).toMatchObject(locked);

    await running.close();
    running = await startTestServer({ dataDir: temp.dir });
    device.baseUrl = running.server.url;
    device.sourceAddress = '127.0.8.2';
    expect(await answers()).toMatchObject(locked);
  });

  it('counts at most its cap of usernames (in memory, or in the store on PostgreSQL), forgetting the least recently tried first', async () => {
    const store = await openStore();
    const limits = { failuresToLock: MAX_AGENT_FAILURES, countedInMemory: 50, lockedInStore: 20 };
    const locks = new UnknownUsernameLocks({ db: store.db, key: new ServerKey(crypto.randomBytes(32)), limits });
    const fail = (username: string) => store.db.transaction().execute((trx) => locks.countFailure(trx, username, Date.now()));
    // 'kept' is tried again every 40 names, so it stays among the 50 most recent while 500 others pass.
    let keptTries = 0;
    for (let i = 0; i < 500; i += 1) {
      await fail(`stranger.${i}`);
      if (i % 40 === 0 && keptTries < MAX_AGENT_FAILURES) {
        keptTries += 1;
        expect(await fail('kept')).toBe(keptTries === MAX_AGENT_FAILURES);
      }
      expect(await locks.counted()).toBeLessThanOrEqual(limits.countedInMemory);
    }
    expect(await locks.counted()).toBe(limits.countedInMemory);
    expect(await locks.isLocked('kept')).toBe(true);
    // A name pushed out of memory starts afresh (nothing an answer showed is lost: it was not locked).
    expect(await fail('stranger.0')).toBe(false);
    expect(await locks.isLocked('stranger.0')).toBe(false);
  });

  it('stores at most its cap of locks, as keyed hashes, dropping the oldest', async () => {
    const store = await openStore();
    const limits = { failuresToLock: MAX_AGENT_FAILURES, countedInMemory: 1000, lockedInStore: 20 };
    const locks = new UnknownUsernameLocks({ db: store.db, key: new ServerKey(crypto.randomBytes(32)), limits });
    let now = 1_000_000;
    for (let name = 0; name < 30; name += 1) {
      for (let i = 0; i < MAX_AGENT_FAILURES; i += 1) {
        now += 1;
        const locked = await store.db.transaction().execute((trx) => locks.countFailure(trx, `locked.${name}`, now));
        expect(locked).toBe(i === MAX_AGENT_FAILURES - 1);
      }
    }
    const rows = await store.db.selectFrom('unknown_username_locks').selectAll().execute();
    expect(rows).toHaveLength(limits.lockedInStore);
    expect(rows.map((row) => row.username_hash).join()).not.toContain('locked.');
    for (let name = 0; name < 30; name += 1) expect(await locks.isLocked(`locked.${name}`), `locked.${name}`).toBe(name >= 10);
  });

  it('is a least-recently-used map that never holds more than its capacity', () => {
    const lru = new BoundedLru<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1);
    lru.set('d', 4);
    expect(lru.size).toBe(3);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.get('d')]).toEqual([1, 3, 4]);
    expect(() => new BoundedLru(0)).toThrow(RangeError);
  });
});
