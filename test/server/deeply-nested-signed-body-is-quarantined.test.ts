/**
 * A correctly signed body nested thousands of levels deep used to answer 500 on every delivery
 * (re-serialising it for the quarantine overflowed the stack), so Meta would redeliver it for a
 * week. It is kept byte for byte in quarantine and answered 200, once; the server goes on working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { deeplyNestedEntryBody, deeplyNestedMessageBody } from '../helpers/edge-webhooks.js';
import { messageByWamid, rowCounts } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const DEPTH = 50_000;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

async function quarantineHolding(body: string) {
  return t.server.database.db.selectFrom('webhook_quarantine').selectAll().where('payload', '=', body).execute();
}

describe('a signed body nested thousands of levels deep', () => {
  it('is quarantined verbatim with 200 when the nesting is in an entry, and its redelivery adds nothing', async () => {
    const body = deeplyNestedEntryBody(DEPTH);
    const first = await t.postWebhook(body);
    expect(first.status).toBe(200);
    const rows = await quarantineHolding(body);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.reason).toMatch(/nested deeper than \d+ levels/);

    const before = await rowCounts(t.server.database.db);
    const again = await t.postWebhook(body);
    expect(again.status).toBe(200);
    expect(await rowCounts(t.server.database.db)).toEqual(before);
  });

  it('is quarantined verbatim with 200 when the nesting is inside an otherwise readable message', async () => {
    const { wamid, body } = deeplyNestedMessageBody(t.sandbox.business, customer(t, 0), DEPTH);
    const response = await t.postWebhook(body);
    expect(response.status).toBe(200);
    expect(await quarantineHolding(body)).toHaveLength(1);
    expect(await messageByWamid(t.server.database.db, wamid)).toBeUndefined();
  });

  it('keeps serving: a normal message after the deep ones is stored', async () => {
    const writer = customer(t, 1);
    const { wamid, delivered } = await t.customers.write(writer, { type: 'text', text: { body: 'Still there?' } });
    expect(delivered).toBe(true);
    expect(await messageByWamid(t.server.database.db, wamid)).toMatchObject({ type: 'text', direction: 'inbound' });
    const health = (await (await fetch(`${t.server.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  });
});
