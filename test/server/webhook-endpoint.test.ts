/**
 * The webhook endpoint's edges over a listening port: the verification handshake, signatures,
 * size and syntax limits, quarantine of unexpected shapes, and the counters that report them.
 * Property tests: any signed JSON is answered 200 and nothing in it is lost (what cannot be read
 * is in quarantine), and no flipped byte gets in.
 */
import fc from 'fast-check';
import secureJson from 'secure-json-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../server/cloud-api/webhook-signature.js';
import { MAX_WEBHOOK_BYTES } from '../../server/webhooks/webhook-routes.js';
import { readWebhookFixture } from '../helpers/fixtures.js';
import { messageByWamid, rowCounts } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

async function outcomeCount(outcome: string): Promise<number> {
  const counter = await t.server.metrics.webhookRequests.get();
  return counter.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

function verificationUrl(params: Record<string, string>): string {
  const url = new URL(t.server.webhookUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

describe('GET /webhooks/whatsapp (verification handshake)', () => {
  it('answers subscribe with the right token with the raw challenge', async () => {
    const response = await fetch(
      verificationUrl({ 'hub.mode': 'subscribe', 'hub.verify_token': t.sandbox.channel.verifyToken, 'hub.challenge': '1158201444' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('refuses a wrong token, a wrong mode and a missing token with 403', async () => {
    const cases: Array<Record<string, string>> = [
      { 'hub.mode': 'subscribe', 'hub.verify_token': `${t.sandbox.channel.verifyToken}x`, 'hub.challenge': '1' },
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': t.sandbox.channel.verifyToken, 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
    ];
    for (const params of cases) {
      const response = await fetch(verificationUrl(params));
      expect(response.status).toBe(403);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe('verification_refused');
    }
  });
});

describe('POST /webhooks/whatsapp', () => {
  const fixture = readWebhookFixture('meta_docs__inbound_text.json');

  it('refuses a missing, malformed or wrong signature with 401 and stores nothing', async () => {
    const before = await rowCounts(t.server.database.db);
    const rejectedBefore = await outcomeCount('rejected_signature');
    const signatures = [null, 'sha256=', 'sha1=abcdef', `sha256=${'0'.repeat(64)}`, signWebhookBody(fixture, 'another-app-secret-entirely')];
    for (const signature of signatures) {
      const response = await t.postWebhook(fixture, { signature });
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'signature_invalid' } });
    }
    expect(await rowCounts(t.server.database.db)).toEqual(before);
    expect((await outcomeCount('rejected_signature')) - rejectedBefore).toBe(signatures.length);
  });

  it('refuses a body over 3 MB with 413, before reading it as a webhook', async () => {
    const before = await rowCounts(t.server.database.db);
    const huge = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20);
    const response = await t.postWebhook(huge);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'webhook_too_large' } });
    expect(await rowCounts(t.server.database.db)).toEqual(before);
    expect(await outcomeCount('rejected_too_large')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a signed body that is not JSON with 400', async () => {
    const before = await rowCounts(t.server.database.db);
    for (const body of ['{"object":', 'not json at all', '']) {
      const response = await t.postWebhook(body);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'webhook_not_json' } });
    }
    expect(await rowCounts(t.server.database.db)).toEqual(before);
  });

  it('keeps JSON of an unexpected shape verbatim in quarantine, answers 200, and counts it once', async () => {
    const body = '{"object":"whatsapp_business_account","entry":"not-a-list","note":"kept as sent"}';
    const quarantinedBefore = await outcomeCount('quarantined');
    const first = await t.postWebhook(body);
    expect(first.status).toBe(200);
    const rows = await t.server.database.db.selectFrom('webhook_quarantine').selectAll().execute();
    expect(rows.some((row) => row.payload === body)).toBe(true);
    expect((await outcomeCount('quarantined')) - quarantinedBefore).toBe(1);

    const again = await t.postWebhook(body);
    expect(again.status).toBe(200);
    const after = await t.server.database.db.selectFrom('webhook_quarantine').selectAll().execute();
    expect(after.length).toBe(rows.length);
  });

  it('publishes its outcomes on /metrics', async () => {
    const text = await (await fetch(`${t.server.metricsUrl}/metrics`)).text();
    for (const outcome of ['rejected_signature', 'rejected_too_large', 'rejected_malformed', 'quarantined']) {
      expect(text).toMatch(new RegExp(`^sportello_webhook_requests_total\\{outcome="${outcome}"\\} [1-9]`, 'm'));
    }
  });
});

describe('properties of the webhook handler', () => {
  const db = () => t.server.database.db;

  /** JSON text as the server reads it (secure-json-parse drops `__proto__` and `constructor` keys). */
  function asRead(value: unknown): string {
    return JSON.stringify(secureJson.parse(JSON.stringify(value), null, { protoAction: 'remove', constructorAction: 'remove' }));
  }

  async function quarantined(payload: string): Promise<boolean> {
    return (await db().selectFrom('webhook_quarantine').select('id').where('payload', '=', payload).executeTakeFirst()) !== undefined;
  }

  function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  const readableEntry = (entry: unknown) =>
    isRecord(entry) &&
    Array.isArray(entry.changes) &&
    (entry.id === undefined || typeof entry.id === 'string') &&
    (entry.time === undefined || typeof entry.time === 'number');

  it('answers any signed JSON with 200, and keeps in quarantine, as sent, what has no readable envelope or entry', async () => {
    const anyJson = fc.jsonValue({ maxDepth: 5 }).map((value) => ({ kind: 'any' as const, value, text: JSON.stringify(value) }));
    const envelope = fc
      .record({ object: fc.constant('whatsapp_business_account'), entry: fc.array(fc.jsonValue({ maxDepth: 5 })) })
      .map((value) => ({ kind: 'envelope' as const, value, text: JSON.stringify(value) }));
    // Deeper than any of Meta's bodies: kept whole, as the bytes came.
    const deep = fc.integer({ min: 65, max: 20_000 }).map((depth) => ({
      kind: 'deep' as const,
      value: undefined,
      text: `{"object":"whatsapp_business_account","entry":[${'['.repeat(depth)}${']'.repeat(depth)}]}`,
    }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, envelope, deep), async ({ kind, value, text }) => {
        const response = await t.postWebhook(text);
        expect(response.status).toBe(200);
        if (kind === 'deep' || !isRecord(value) || value.object !== 'whatsapp_business_account' || !Array.isArray(value.entry)) {
          expect(await quarantined(text), 'the body is not in quarantine').toBe(true);
          return;
        }
        for (const entry of value.entry) {
          if (!readableEntry(entry)) expect(await quarantined(asRead(entry)), `entry ${asRead(entry)} is not in quarantine`).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
    const health = (await (await fetch(`${t.server.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  });

  it('answers any Meta-shaped payload with arbitrary field values with 200, and loses no message: stored when it has an id and a sender, quarantined otherwise, kept as from an unknown number when its number is not served', async () => {
    const served = t.sandbox.business.phoneNumberId;
    const message = fc
      .record({
        from: fc.string(),
        id: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        timestamp: fc.oneof(fc.string(), fc.integer(), fc.constant('1749416383')),
        type: fc.oneof(fc.constantFrom('text', 'location', 'order', 'image', 'contacts', 'reaction', 'edit', 'interactive'), fc.string()),
        typeObject: fc.jsonValue({ maxDepth: 3 }),
      })
      .map(({ typeObject, ...fields }) => ({ ...fields, [fields.type]: typeObject }));
    const arbitraryValue = fc.record({
      messaging_product: fc.oneof(fc.constant('whatsapp'), fc.jsonValue()),
      metadata: fc.oneof(
        fc.record({ display_phone_number: fc.string(), phone_number_id: fc.oneof(fc.constant(served), fc.string()) }),
        fc.record({ display_phone_number: fc.string(), phone_number_id: fc.constant(served) }),
        fc.jsonValue(),
      ),
      contacts: fc.oneof(fc.array(fc.record({ wa_id: fc.string(), profile: fc.record({ name: fc.string() }) })), fc.jsonValue()),
      messages: fc.array(message, { maxLength: 3 }),
      statuses: fc.array(fc.record({ id: fc.string(), status: fc.string(), timestamp: fc.string(), recipient_id: fc.string() })),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('messages', 'statuses', 'smb_message_echoes', 'user_preferences', 'account_update'),
        arbitraryValue,
        async (field, value) => {
          const change = { field, value };
          const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [change] }] });
          const response = await t.postWebhook(body);
          expect(response.status).toBe(200);
          if (field !== 'messages' && field !== 'smb_message_echoes') return;

          const metadata = value.metadata;
          // Routed by its number before it is read: a change for a number not served is kept whole for admins.
          if (isRecord(metadata) && typeof metadata.phone_number_id === 'string' && metadata.phone_number_id !== '' && metadata.phone_number_id !== served) {
            const kept = await db().selectFrom('unknown_number_webhooks').select(['payload']).where('phone_number_id', '=', metadata.phone_number_id).execute();
            expect(
              kept.some((row) => row.payload === body),
              'the change for a number not served is not kept',
            ).toBe(true);
            return;
          }
          const readableValue =
            typeof value.messaging_product === 'string' &&
            isRecord(metadata) &&
            typeof metadata.phone_number_id === 'string' &&
            metadata.phone_number_id !== '' &&
            (metadata.display_phone_number === undefined || typeof metadata.display_phone_number === 'string') &&
            Array.isArray(value.contacts);
          if (!readableValue) {
            expect(await quarantined(asRead(change)), 'the unreadable change is not in quarantine').toBe(true);
            return;
          }
          const customers = new Set(
            (value.contacts as unknown[]).flatMap((contact) =>
              isRecord(contact) && typeof contact.wa_id === 'string' && contact.wa_id !== '' ? [contact.wa_id] : [],
            ),
          );
          for (const sent of value.messages) {
            const hasId = typeof sent.id === 'string' && sent.id !== '';
            const hasSender = sent.from !== '' || customers.size === 1;
            if (hasId && hasSender) {
              expect(await messageByWamid(db(), sent.id as string), `message ${JSON.stringify(sent)} was not stored`).toBeDefined();
            } else {
              expect(await quarantined(asRead(sent)), `message ${JSON.stringify(sent)} is neither stored nor in quarantine`).toBe(true);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a signed body with any single byte flipped, and stores nothing', async () => {
    const body = readWebhookFixture('meta_docs__inbound_text.json');
    const signature = signWebhookBody(body, t.sandbox.channel.appSecret);
    const before = await rowCounts(t.server.database.db);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, mask) => {
        const flipped = Buffer.from(body);
        flipped[index] = flipped[index]! ^ mask;
        const response = await t.postWebhook(flipped, { signature });
        expect(response.status).toBe(401);
      }),
      { numRuns: 200 },
    );
    expect(await rowCounts(t.server.database.db)).toEqual(before);
  });
});
