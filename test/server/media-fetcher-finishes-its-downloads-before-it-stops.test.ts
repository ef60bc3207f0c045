/**
 * Stopping the media fetcher while its scan for due media was still reading the store answered at
 * once: the scan then started a download after the stop, whose record of its outcome reached the
 * committer after the server had closed it (CI: an unhandled `store_closed` from
 * MediaFetcher.#recordFailure). Now a stop waits for the scan under way, which starts nothing once
 * stopped, and for every download already running; a download's failure to record is logged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { buildTestServer } from '../helpers/test-server.js';
import type { BuiltTestServer } from '../helpers/test-server.js';
import type { SandboxCustomer } from '../../server/sandbox/webhook-builder.js';

const SENDER: SandboxCustomer = { waId: '393470000001', userId: 'IT.media-sender', name: 'Giulia Bianchi', language: 'it' };

let b: BuiltTestServer | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

async function pendingImage(server: BuiltTestServer): Promise<number> {
  // An id Meta's stand-in does not hold: the download fails and is recorded for a retry.
  const { body } = inboundMessageWebhook(server.sandbox.business, SENDER, {
    type: 'image',
    image: { id: '1234567890123456', mime_type: 'image/png', sha256: 'AAAA' },
  });
  expect((await server.postWebhook(body)).status).toBe(200);
  const row = await server.server.database.db.selectFrom('media').select(['id', 'state', 'attempts']).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ state: 'pending', attempts: 0 });
  return row.id;
}

describe('stopping the media fetcher', () => {
  it('does no work after the stop answers, though its scan was still reading the store', async () => {
    b = await buildTestServer();
    const id = await pendingImage(b);
    const fetcher = b.server.mediaFetcher;
    const read = () =>
      b?.server.database.db.selectFrom('media').select(['state', 'attempts', 'last_error_code']).where('id', '=', id).executeTakeFirstOrThrow();
    fetcher.start();
    await fetcher.stop();
    const atStop = await read();
    // Anything the scan set going would be running now: wait for it, then nothing may have changed.
    await fetcher.settled();
    expect(await read()).toEqual(atStop);
  });

  it('starts nothing once stopped', async () => {
    b = await buildTestServer();
    const id = await pendingImage(b);
    const fetcher = b.server.mediaFetcher;
    fetcher.start();
    await fetcher.stop();
    fetcher.wake();
    await fetcher.settled();
    const row = await b.server.database.db.selectFrom('media').select('attempts').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(0);
  });
});
