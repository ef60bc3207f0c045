/**
 * A card number an agent types never leaves the desk: a message (text, a file's caption, a
 * template's parameters), an internal note, a quick reply and an away message that hold one are
 * refused with card_number_refused (the answer names the place, never the text), nothing is
 * stored and nothing reaches the sandbox's Graph endpoint; an order number that is no card goes.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { rowCounts } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const CARD_FORMS = ['4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '5500 0000 0000 0004', '3782 822463 10005'];

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let sara: EnrolledAgent;
let conversationId: number;
let teamId: number;

beforeAll(async () => {
  // No delivery statuses: they would add events while a refusal is checked for changing nothing.
  t = await startTestServer({ statusDelaysMs: {} });
  desk = await approvedDevice(t);
  teamId = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  anna = await enrolledAgent(t, desk, 'anna');
  sara = await enrolledAgent(t, desk, 'sara', 'supervisor');
  ({ conversationId } = await customerWrites(t, customer(t, 0), 'How can I pay?'));
});
afterAll(async () => {
  await t.close();
});

const counts = () => rowCounts(t.server.database.db, ['messages', 'notes', 'quick_replies', 'team_hours', 'events', 'audit_log']);
const post = (who: EnrolledAgent, path: string, body: unknown) => desk.call('POST', path, body, who.session.accessToken);
const send = (body: Record<string, unknown>) => post(anna, '/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId, ...body });

const refusals = async () =>
  Number((await t.server.metrics.safetyActions.get()).values.find((value) => value.labels.rule === 'cards' && value.labels.action === 'refused')?.value ?? 0);

async function refused(place: string, ask: () => Promise<{ status: number; body: unknown }>, written: string) {
  const before = await counts();
  const counted = await refusals();
  const answer = await ask();
  expect(answer, `${place}: ${written}`).toMatchObject({ status: 422, body: { error: { code: 'card_number_refused', details: { place } } } });
  expect(JSON.stringify(answer.body)).not.toContain(written);
  // Nothing changed but the refusal's own audit row, which names ids only, and its count.
  expect(await counts(), `${place}: nothing changed`).toEqual({ ...before, audit_log: (before.audit_log ?? 0) + 1 });
  const row = await t.server.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  expect(row.event).toBe('safety.cards.refused');
  expect(JSON.stringify(row)).not.toContain(written.slice(-8));
  expect(await refusals()).toBe(counted + 1);
}

describe('a card number an agent types', () => {
  it('is refused in a message’s text, a caption and a template’s parameters, and nothing reaches Meta', async () => {
    for (const card of CARD_FORMS) await refused('message', () => send({ kind: 'text', text: `Your card ${card} is charged` }), card);
    await refused('message', () => send({ kind: 'media', mediaId: 999_999, caption: `card ${CARD_FORMS[0]}` }), CARD_FORMS[0] ?? '');
    await refused(
      'message',
      () =>
        send({
          kind: 'template',
          name: 'payment_reminder',
          languageCode: 'en',
          components: [{ type: 'body', parameters: [{ type: 'text', text: `card ${CARD_FORMS[1]}` }] }],
        }),
      CARD_FORMS[1] ?? '',
    );
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted).toEqual([]);

    // The control: an order number that fails the Luhn check is no card, and goes out.
    expect((await send({ kind: 'text', text: 'Your order 4111 1111 1111 1112 ships today' })).status).toBe(201);
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted).toHaveLength(1);
  });

  it('is refused in an internal note, a quick reply and an away message', async () => {
    const card = CARD_FORMS[2] ?? '';
    await refused(
      'note',
      () => post(anna, `/v1/conversations/${conversationId}/notes`, { clientNoteId: crypto.randomUUID(), body: `paid with ${card}` }),
      card,
    );
    await refused('quick_reply', () => post(sara, '/v1/manage/quick-replies', { teamId, shortcut: 'card', texts: { en: 'ok', it: `carta ${card}` } }), card);
    await refused('away_message', () => post(sara, `/v1/teams/${teamId}/hours`, { hours: null, awayMessage: `Pay with ${card}` }), card);
    // Without the card, the same note and away message are kept.
    expect((await post(anna, `/v1/conversations/${conversationId}/notes`, { clientNoteId: crypto.randomUUID(), body: 'paid by link' })).status).toBe(201);
    expect((await post(sara, `/v1/teams/${teamId}/hours`, { hours: null, awayMessage: 'We are closed; we answer tomorrow.' })).status).toBe(200);
  });

  it('goes through only when an admin turned the rule off, and is refused again once it is back on', async () => {
    const policies = t.server.safety.policies;
    const turn = async (refuseOutbound: boolean) => {
      const { version, policy } = await policies.current();
      await policies.change({ version, policy: { ...policy, cards: { refuseOutbound } } }, IT);
    };
    await turn(false);
    expect((await send({ kind: 'text', text: `Test card ${CARD_FORMS[0]}` })).status).toBe(201);
    await t.server.dispatcher.settled();
    await turn(true);
    await refused('message', () => send({ kind: 'text', text: `Test card ${CARD_FORMS[0]}` }), CARD_FORMS[0] ?? '');
  });
});
