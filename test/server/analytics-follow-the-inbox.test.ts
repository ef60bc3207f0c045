/**
 * The analytics facts and counts (migration 0035's triggers) follow what really happens in the
 * inbox, on a listening server with its real store: a customer's signed webhook opens a
 * conversation that waits, an agent's send through the API answers it (first answer, by them),
 * the agent resolves it, and the customer writing again opens a new one that waits. The figures
 * read after each step are counted from those steps; no row is written by the test.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsReport } from '../../common/analytics/analytics-report.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;
let anna: EnrolledAgent;
let sara: EnrolledAgent;
let teamA: number;

beforeAll(async () => {
  t = await startTestServer();
  device = await approvedDevice(t, 'analytics-inbox');
  teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  anna = await enrolledAgent(t, device, 'anna', 'agent', [teamA]);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', [teamA]);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function today(): Promise<AnalyticsReport> {
  // The whole of today and tomorrow in UTC: Meta's times and ours both fall in it.
  const now = Date.now();
  const [from, to] = [now - 86_400_000, now + 86_400_000].map((at) => new Date(at).toISOString().slice(0, 10)) as [string, string];
  const answer = await device.call<AnalyticsReport>('GET', `/v1/analytics?from=${from}&to=${to}&timeZone=UTC`, undefined, sara.session.accessToken);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

describe('analytics follow the inbox', () => {
  it('counts a conversation that waits, is answered, is resolved, and the next one the customer opens', async () => {
    const first = await customerWrites(t, customer(t, 0), 'Il pacco non è arrivato');
    let r = await today();
    expect([r.totals.conversationsOpened, r.totals.messagesIn, r.totals.messagesOut, r.totals.waiting.count, r.totals.firstResponse.count]).toEqual([
      1, 1, 0, 1, 0,
    ]);
    const written = await t.server.database.db.selectFrom('messages').select('sent_at').where('id', '=', first.messageId).executeTakeFirstOrThrow();
    expect(r.totals.waiting.oldestSince).toBe(Number(written.sent_at));

    // Anna takes it and answers: no longer waiting, one first answer, by her.
    expect((await device.call('POST', `/v1/conversations/${first.conversationId}/claim`, {}, anna.session.accessToken)).status).toBeLessThan(300);
    const sent = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: first.conversationId, kind: 'text', text: 'Controllo subito' },
      anna.session.accessToken,
    );
    expect(sent.status).toBe(201);
    r = await today();
    expect([r.totals.messagesOut, r.totals.waiting.count, r.totals.firstResponse.count]).toEqual([1, 0, 1]);
    expect(r.agents.find((agent) => agent.agentId === anna.agentId)).toMatchObject({ messagesOut: 1, firstResponse: { count: 1 } });

    // Resolved by her; then the customer writes again: a new conversation, waiting.
    expect((await device.call('POST', `/v1/conversations/${first.conversationId}/state`, { state: 'resolved' }, anna.session.accessToken)).status).toBe(200);
    r = await today();
    expect([r.totals.conversationsResolved, r.totals.resolution.count]).toEqual([1, 1]);
    expect(r.agents.find((agent) => agent.agentId === anna.agentId)?.conversationsResolved).toBe(1);
    const second = await customerWrites(t, customer(t, 0), 'Ancora io');
    expect(second.conversationId).not.toBe(first.conversationId);
    r = await today();
    expect([r.totals.conversationsOpened, r.totals.conversationsResolved, r.totals.messagesIn, r.totals.waiting.count]).toEqual([2, 1, 2, 1]);
    expect(r.teams.map((team) => [team.teamId, team.conversationsOpened])).toEqual([[teamA, 2]]);
  });

  it('counts a template send under the category Meta gave it at the last sync', async () => {
    const conversation = await customerWrites(t, customer(t, 1), 'Buongiorno');
    expect((await device.call('POST', `/v1/conversations/${conversation.conversationId}/claim`, {}, anna.session.accessToken)).status).toBeLessThan(300);
    const sent = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: conversation.conversationId, kind: 'template', name: 'hello_world', languageCode: 'it' },
      anna.session.accessToken,
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    // The sandbox lists hello_world as UTILITY; the synced copy says so to the figures.
    expect((await today()).templateSends).toEqual([{ category: 'utility', sends: 1 }]);
  });
});
