/**
 * Regression: a template send Meta refused with 132015 (paused) or 132016 (disabled) failed the
 * message, but the stored template stayed APPROVED until a webhook or the next sync said
 * otherwise: the picker kept offering it and every further send went to Meta to be refused again.
 * Now Meta's refusal changes the stored status at once, `template_changed` goes to those who may
 * use the account (as a status webhook's change does, and only to them), and the next send is
 * refused before Meta is called. Here Meta changes the status without a webhook (the stand-in's
 * list alone), as when the webhook is late or lost. Over a listening server on loopback, on either store.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationTemplates } from '../../common/api/template-endpoints.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let carla: EnrolledAgent;
let conversationId: number;
const sockets: Record<'anna' | 'carla', EventSocket | undefined> = { anna: undefined, carla: undefined };

const send = (agent: EnrolledAgent, name: string, languageCode: string) =>
  desk.call('POST', '/v1/messages', { kind: 'template', idempotencyKey: crypto.randomUUID(), conversationId, name, languageCode }, agent.session.accessToken);
const errorOf = (answer: { body: unknown }) => (answer.body as { error?: { code?: string; details?: Record<string, unknown> } }).error;
const listed = async (name: string, language: string) =>
  (await desk.call<ConversationTemplates>('GET', `/v1/conversations/${conversationId}/templates`, undefined, anna.session.accessToken)).body.templates.find(
    (template) => template.name === name && template.language === language,
  );

beforeAll(async () => {
  t = await startTestServer({ customers: 1 });
  desk = await approvedDevice(t);
  const other = (await t.server.identity.teams.create({ name: 'Vendite' }, IT)).id;
  anna = await enrolledAgent(t, desk, 'anna');
  carla = await enrolledAgent(t, desk, 'carla', 'agent', [other]);
  conversationId = (await customerWrites(t, customer(t, 0), 'Buongiorno, avete novità?')).conversationId;
  sockets.anna = await openEventSocket(t, desk, anna.session.accessToken);
  sockets.carla = await openEventSocket(t, desk, carla.session.accessToken);
}, 60_000);
afterAll(async () => {
  sockets.anna?.close();
  sockets.carla?.close();
  await t?.close();
});

describe.each([
  { status: 'PAUSED', metaCode: 132015, language: 'en_US' },
  { status: 'DISABLED', metaCode: 132016, language: 'it' },
])('a template Meta $status since the sync', ({ status, metaCode, language }) => {
  it(`takes that status as soon as Meta refuses a send with ${metaCode}, is announced, and the next send never reaches Meta`, async () => {
    const atMeta = t.sandbox.graph.templates.list.find((template) => template.name === 'hello_world' && template.language === language);
    if (atMeta === undefined) throw new Error('the stand-in has no hello_world');
    expect(await listed('hello_world', language)).toMatchObject({ status: 'APPROVED', refusal: null });
    atMeta.status = status;

    const first = await send(anna, 'hello_world', language);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await t.server.dispatcher.settled();
    const messageId = (first.body as { message: { id: number } }).message.id;
    const row = await t.server.database.db.selectFrom('messages').select(['status', 'error_code']).where('id', '=', messageId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', error_code: 'template_not_approved' });

    expect(await listed('hello_world', language)).toMatchObject({ status, refusal: 'template_not_approved' });
    const announced = await sockets.anna?.next(
      (event) => event.type === 'template_changed' && event.template.id === atMeta.id && event.template.status === status,
    );
    expect(announced).toMatchObject({ type: 'template_changed', template: { name: 'hello_world', language, status } });
    // Carla's team has no number of this account: she is told nothing.
    expect(sockets.carla?.events.filter((event) => event.type === 'template_changed')).toEqual([]);

    const calls = t.sandbox.graph.callCount;
    const again = await send(anna, 'hello_world', language);
    expect(again.status, JSON.stringify(again.body)).toBe(422);
    expect(errorOf(again)).toMatchObject({ code: 'template_not_approved', details: { status } });
    expect(t.sandbox.graph.callCount).toBe(calls);
  });
});
