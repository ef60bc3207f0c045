/**
 * Defect: the away message goes under `away:<conversation>:<quiet period>` (derived, so that it
 * goes once however often its job runs) and a scheduled message under `scheduled:<random>`. An
 * agent's send could take such a key first (any letters, digits and `.:_-` were allowed), and the
 * server's own send then came back `idempotency_key_reused` and never went: a customer writing at
 * night got no away message. The client API now refuses those namespaces; nothing is stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { rowCounts } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('an agent’s send under one of the server’s own keys', () => {
  it('is refused as invalid_request before anything is stored', async () => {
    t = await startTestServer();
    const desk = await approvedDevice(t, 'desk');
    const anna = await enrolledAgent(t, desk, 'anna');
    const { conversationId } = await customerWrites(t, customer(t, 0), 'Are you open tonight?');
    const before = await rowCounts(t.server.database.db, ['messages']);
    for (const idempotencyKey of [`away:${conversationId}:1700000000000`, 'scheduled:0f8e4c2a-1b7d-4f7e-9d3a-2c6b5e8f1a90']) {
      const answer = await desk.call<{ error: { code: string; message: string } }>(
        'POST',
        '/v1/messages',
        { idempotencyKey, conversationId, kind: 'text', text: 'We are closed' },
        anna.session.accessToken,
      );
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
      expect(answer.body.error.message).toMatch(/server's own sends/);
    }
    expect(await rowCounts(t.server.database.db, ['messages'])).toEqual(before);
    // A key that merely contains the words is the agent's to use.
    const fine = await desk.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: `reply-away:${conversationId}`, conversationId, kind: 'text', text: 'Hello' },
      anna.session.accessToken,
    );
    expect(fine.status).toBe(201);
  });
});
