/**
 * Inbound media: fetched from the stand-in the way Meta serves it (lookup URL, then a download
 * with the bearer token), checked, stored by content, and retried visibly when it fails.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphClient } from '../../server/cloud-api/graph-client.js';
import { customer } from '../helpers/conversations.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function mediaSettled(s: TestServer, graphMediaId: string) {
  return eventually(
    async () => {
      const row = await s.server.database.db.selectFrom('media').selectAll().where('graph_media_id', '=', graphMediaId).executeTakeFirst();
      return row !== undefined && row.state !== 'pending' ? row : undefined;
    },
    10_000,
    `media ${graphMediaId} to settle`,
  );
}

describe('inbound media', () => {
  it('downloads a customer’s image, checks it and stores it under its SHA-256', async () => {
    const s = (t = await startTestServer());
    const bytes = crypto.randomBytes(40_000);
    const media = s.sandbox.graph.addMedia(bytes, 'image/jpeg');
    await s.customers.write(customer(s), {
      type: 'image',
      image: { id: media.id, mime_type: 'image/jpeg', sha256: media.sha256Base64, caption: 'the damaged box' },
    });
    const row = await mediaSettled(s, media.id);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    expect(row).toMatchObject({ state: 'stored', sha256, size: bytes.length, attempts: 1, last_error_code: null });
    expect(fs.readFileSync(s.server.mediaStore.pathOf(sha256)).equals(bytes)).toBe(true);
    const message = await s.server.database.db.selectFrom('messages').select(['media_id', 'type']).where('type', '=', 'image').executeTakeFirstOrThrow();
    expect(message.media_id).toBe(row.id);
    const downloads = await s.server.metrics.mediaDownloads.get();
    expect(downloads.values).toEqual([expect.objectContaining({ labels: { outcome: 'stored' }, value: 1 })]);
  });

  it('stores the same file sent twice once, and a redelivered webhook does not fetch it again', async () => {
    const s = (t = await startTestServer());
    const bytes = crypto.randomBytes(1000);
    const first = s.sandbox.graph.addMedia(bytes, 'application/pdf');
    const second = s.sandbox.graph.addMedia(bytes, 'application/pdf');
    await s.customers.write(customer(s), {
      type: 'document',
      document: { id: first.id, mime_type: 'application/pdf', sha256: first.sha256Base64, filename: 'a.pdf' },
    });
    await s.customers.write(customer(s), {
      type: 'document',
      document: { id: second.id, mime_type: 'application/pdf', sha256: second.sha256Base64, filename: 'b.pdf' },
    });
    const [a, b] = [await mediaSettled(s, first.id), await mediaSettled(s, second.id)];
    expect(a.sha256).toBe(b.sha256);
    expect(fs.readdirSync(`${s.dataDir}/media/${a.sha256?.slice(0, 2) ?? ''}`)).toEqual([a.sha256]);
  });

  it('retries a failed lookup with backoff, keeping the failure visible meanwhile', async () => {
    const s = (t = await startTestServer({ mediaFetcher: { baseDelayMs: 200 } }));
    const bytes = crypto.randomBytes(500);
    const media = s.sandbox.graph.addMedia(bytes, 'image/png');
    s.sandbox.graph.injectFaults({ httpStatus: 503, code: 131016, message: 'Service unavailable' });
    await s.customers.write(customer(s), { type: 'image', image: { id: media.id, mime_type: 'image/png', sha256: media.sha256Base64 } });
    const waiting = await eventually(
      async () => {
        const row = await s.server.database.db.selectFrom('media').selectAll().where('graph_media_id', '=', media.id).executeTakeFirst();
        return row?.attempts === 1 ? row : undefined;
      },
      5000,
      'the first failed attempt',
    );
    expect(waiting).toMatchObject({ state: 'pending', last_error_code: 'meta_131016' });
    expect(waiting.next_attempt_at).toBeGreaterThan(Date.now() - 1000);
    const row = await mediaSettled(s, media.id);
    expect(row).toMatchObject({ state: 'stored', attempts: 2, last_error_code: null });
  });

  it('gives up, visibly, on a checksum that never matches', async () => {
    const s = (t = await startTestServer());
    const media = s.sandbox.graph.addMedia(crypto.randomBytes(300), 'image/png', { announcedSha256Hex: 'ab'.repeat(32) });
    await s.customers.write(customer(s), { type: 'image', image: { id: media.id, mime_type: 'image/png', sha256: media.sha256Base64 } });
    const row = await mediaSettled(s, media.id);
    expect(row).toMatchObject({ state: 'failed', last_error_code: 'media_checksum_mismatch', attempts: 3, sha256: null });
    expect(fs.readdirSync(`${s.dataDir}/media/tmp`)).toEqual([]);
  });

  it('refuses media above the Cloud API’s size for its kind without downloading it', async () => {
    const s = (t = await startTestServer());
    const media = s.sandbox.graph.addMedia(Buffer.alloc(5 * 1024 * 1024 + 1), 'image/jpeg');
    await s.customers.write(customer(s), { type: 'image', image: { id: media.id, mime_type: 'image/jpeg', sha256: media.sha256Base64 } });
    const row = await mediaSettled(s, media.id);
    expect(row).toMatchObject({ state: 'failed', last_error_code: 'media_too_large', attempts: 1 });
  });

  it('fails an unknown media id at once: Meta will never have it', async () => {
    const s = (t = await startTestServer());
    await s.customers.write(customer(s), { type: 'image', image: { id: '999999999999999', mime_type: 'image/jpeg', sha256: 'x' } });
    const row = await mediaSettled(s, '999999999999999');
    expect(row).toMatchObject({ state: 'failed', last_error_code: 'meta_100', attempts: 1 });
    expect(row.last_error).toMatch(/invalid/i);
  });

  it('never sends the access token to a host that is not Meta’s', async () => {
    const s = (t = await startTestServer());
    let requests = 0;
    const trap = (await import('node:http')).createServer((_req, res) => {
      requests += 1;
      res.end('gotcha');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const port = (trap.address() as { port: number }).port;
    const graph = new GraphClient(s.sandbox.channel);
    for (const url of [`http://127.0.0.1:${port}/steal`, `https://evil.example.com/x`, 'https://lookaside.fbsbx.com.evil.example/x', 'not a url']) {
      await expect(graph.openMediaDownload(url, AbortSignal.timeout(2000))).rejects.toMatchObject({ code: 'media_url_refused' });
    }
    expect(requests).toBe(0);
    await new Promise((resolve) => trap.close(resolve));
  });
});
