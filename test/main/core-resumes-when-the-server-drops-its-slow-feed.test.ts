/**
 * Regression: a workstation too slow to read its event socket was never told: the server kept
 * queuing for it without bound. Now the server closes such a socket with `tooSlow` (4008) once
 * it holds more unsent bytes than the cap, and the client core, on that code, reconnects at once
 * (not after its backoff, set here far beyond the test's patience) and resumes after the last seq
 * it saw: its cache ends with every message once. The slow reader is real: a network between the
 * core and the server that stops carrying the server's bytes, then carries them again.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { customer } from '../helpers/conversations.js';
import { coreBehindProxy } from '../helpers/core-behind-proxy.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { eventually } from '../helpers/store-queries.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const LONG_TEXT = 'Salve, il pacco non è ancora arrivato e vorrei sapere perché. '.repeat(60);
/** Bounded: the loopback buffers take a few MB at most. */
const MAX_MESSAGES = 4000;

describe('a core whose feed the server dropped for reading too slowly', () => {
  it('reconnects at once and resumes after its seq: every message reaches the cache once', async () => {
    // A backoff no test waits out: only the close code can bring the stream back in time.
    const { t, network, platform, core } = await coreBehindProxy(
      cleanups,
      { customers: 8, eventFeed: { maxBufferedBytes: 64 * 1024 } },
      { reconnectBackoffMs: 600_000 },
    );
    let online = 0;
    let appliedSeq = 0;
    core.onEvent((event, payload) => {
      if (event === 'connection' && (payload as { status: string }).status === 'online') online += 1;
      if (event === 'inbox') {
        const position = payload as { seq?: number; lastSeq?: number };
        appliedSeq = Math.max(appliedSeq, position.seq ?? 0, position.lastSeq ?? 0);
      }
    });
    await core.start();
    const { call, waitFor } = coreDriver(core);
    await pairAndEnroll(t, call, waitFor, 'slow.reader');
    await eventually(() => Promise.resolve(online > 0 && t.server.eventFeed.connectionCount === 1 ? true : undefined), 10_000, 'the event socket');

    // The network stops carrying the server's bytes; customers write until the server gives up on the socket.
    network.stall(true);
    let written = 0;
    while (t.server.eventFeed.connectionCount === 1 && written < MAX_MESSAGES) {
      const burst = await Promise.all(
        Array.from({ length: 50 }, (_, i) => t.customers.write(customer(t, i % 8), { type: 'text', text: { body: `${LONG_TEXT} (${written + i})` } })),
      );
      expect(burst.every((sent) => sent.delivered)).toBe(true);
      written += burst.length;
    }
    expect(t.server.eventFeed.connectionCount, `the slow socket was still served after ${written} messages`).toBe(0);
    expect(await t.server.metrics.eventSocketsTooSlow.get()).toMatchObject({ values: [{ value: 1 }] });
    // On PostgreSQL the last events are numbered by the pass after their commit.
    await t.server.database.feedSequencer.stamp();
    const lastSeq = Number(
      (
        await t.server.database.db
          .selectFrom('events')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .executeTakeFirstOrThrow()
      ).seq,
    );

    // The bytes flow again: the core reads what it was sent, finds the close, and comes back for the rest.
    network.stall(false);
    await eventually(() => Promise.resolve(online >= 2 ? true : undefined), 60_000, 'the reconnect');
    await eventually(() => Promise.resolve(appliedSeq >= lastSeq ? true : undefined), 30_000, `the cache to apply the feed up to ${lastSeq}`);
    await core.stop();

    const inbound = await t.server.database.db.selectFrom('messages').select('id').where('direction', '=', 'inbound').orderBy('id').execute();
    expect(inbound).toHaveLength(written);
    const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
    const cache = openWorkstationCache(platform.userDataDir, secrets, Date.now);
    try {
      const cached = cache.db
        .prepare<[], { id: number }>('select id from messages order by id')
        .all()
        .map((row) => row.id);
      expect(cached).toEqual(inbound.map((row) => row.id));
      expect(cache.inbox.lastSeq).toBe(lastSeq);
    } finally {
      cache.close();
    }
  }, 120_000);
});
