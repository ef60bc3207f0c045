/**
 * Regression: a template's media header named our own upload's id as if it were Meta's media id
 * (the picker sent `headerMedia.id = attachmentId`, the server passed it to Meta). Now the send
 * names the upload (`attachmentId`); the server checks it as an attachment (the sender's own
 * upload, else `media_not_found`), attaches it to the stored message, and at dispatch uploads the
 * file to Meta (POST /{phone-number-id}/media) and names Meta's id in the header. The Graph
 * stand-in refuses a header id it did not issue, as Meta does. A file of a kind the header does
 * not take, and an upload that is not the sender's, are refused before Meta is called.
 * Over a listening server on loopback, on either store.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagePage, SendAccepted } from '../../common/api/inbox.js';
import { PNG, pdf } from '../helpers/file-samples.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let conversationId: number;

const errorOf = (answer: { body: unknown }) => (answer.body as { error?: { code?: string; details?: Record<string, unknown> } }).error;
const db = () => t.server.database.db;

async function upload(agent: EnrolledAgent, kind: string, filename: string, bytes: Buffer, contentType: string): Promise<number> {
  const answer = await desk.request('POST', `/v1/media?kind=${kind}&filename=${filename}`, { token: agent.session.accessToken, body: bytes, contentType });
  expect(answer.status, answer.bytes.toString('utf8')).toBe(201);
  return (JSON.parse(answer.bytes.toString('utf8')) as { mediaId: number }).mediaId;
}

const sale = (headerMedia: Record<string, unknown>) => ({
  kind: 'template',
  idempotencyKey: crypto.randomUUID(),
  conversationId,
  name: 'summer_sale',
  languageCode: 'en',
  parameters: { headerMedia, body: { first_name: 'Giulia', code: 'SUMMER20' }, buttons: { 1: 'SUMMER20' } },
});
const send = (agent: EnrolledAgent, body: unknown) => desk.call<SendAccepted>('POST', '/v1/messages', body, agent.session.accessToken);

beforeAll(async () => {
  t = await startTestServer({ customers: 1 });
  desk = await approvedDevice(t);
  anna = await enrolledAgent(t, desk, 'anna');
  bruno = await enrolledAgent(t, desk, 'bruno');
  conversationId = (await customerWrites(t, customer(t, 0), 'Ciao, ci sono offerte questa settimana?')).conversationId;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('a template whose header is a file the agent uploaded', () => {
  it('goes to Meta with the media id Meta gave for the file, and the stored message carries the file', async () => {
    const attachmentId = await upload(anna, 'image', 'saldi.png', PNG, 'image/png');
    const sent = await send(anna, sale({ kind: 'image', attachmentId, filename: 'saldi.png' }));
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    await t.server.dispatcher.settled();

    const row = await db().selectFrom('messages').select(['status', 'media_id', 'error_code']).where('id', '=', sent.body.message.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'accepted', media_id: attachmentId, error_code: null });
    const file = await db().selectFrom('media').select(['graph_media_id', 'sent_to_conversation_id']).where('id', '=', attachmentId).executeTakeFirstOrThrow();
    expect(file.sent_to_conversation_id).toBe(conversationId);
    expect(file.graph_media_id).toMatch(/^\d{15,}$/);
    expect(file.graph_media_id).not.toBe(String(attachmentId));

    const accepted = t.sandbox.graph.accepted.find((message) => (message.body.template as { name?: string } | undefined)?.name === 'summer_sale');
    const components = (accepted?.body.template as { components: unknown[] }).components;
    expect(components[0]).toEqual({ type: 'header', parameters: [{ type: 'image', image: { id: file.graph_media_id } }] });

    const history = await desk.call<MessagePage>('GET', `/v1/conversations/${conversationId}/messages`, undefined, anna.session.accessToken);
    expect(history.status).toBe(200);
    const shown = history.body.items.find((message) => message.id === sent.body.message.id);
    expect(shown?.content.type).toBe('template');
    expect(shown?.media).toMatchObject({ id: attachmentId, kind: 'image', mimeType: 'image/png' });
  });

  it('is refused before Meta when the file is of a kind the header does not take, whatever kind the client says it is', async () => {
    const calls = t.sandbox.graph.callCount;
    const document = await upload(anna, 'document', 'listino.pdf', pdf(), 'application/pdf');
    for (const kind of ['document', 'image']) {
      const refused = await send(anna, sale({ kind, attachmentId: document }));
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(errorOf(refused)).toMatchObject({
        code: 'template_parameters_invalid',
        details: { problems: [{ at: 'header', problem: 'wrong_media', expected: 'image' }] },
      });
    }
    expect(t.sandbox.graph.callCount).toBe(calls);
    const file = await db().selectFrom('media').select('sent_to_conversation_id').where('id', '=', document).executeTakeFirstOrThrow();
    expect(file.sent_to_conversation_id).toBeNull();
  });

  it('is refused before Meta when the upload is unknown or another agent’s, and when it names a media id of Meta’s', async () => {
    const calls = t.sandbox.graph.callCount;
    const messages = (await db().selectFrom('messages').select('id').execute()).length;
    const brunos = await upload(bruno, 'image', 'suo.png', PNG, 'image/png');
    for (const attachmentId of [brunos, 987654321]) {
      const refused = await send(anna, sale({ kind: 'image', attachmentId }));
      expect(refused.status, JSON.stringify(refused.body)).toBe(404);
      expect(errorOf(refused)?.code).toBe('media_not_found');
    }
    const metaId = await send(anna, sale({ kind: 'image', id: '123456789012345' }));
    expect(errorOf(metaId)?.code).toBe('invalid_request');
    expect(t.sandbox.graph.callCount).toBe(calls);
    expect((await db().selectFrom('messages').select('id').execute()).length).toBe(messages);
    expect(
      (await db().selectFrom('media').select('sent_to_conversation_id').where('id', '=', brunos).executeTakeFirstOrThrow()).sent_to_conversation_id,
    ).toBeNull();
  });
});

describe('the Graph stand-in', () => {
  it('refuses a template header naming a media id it did not issue (131053), and takes one it did', async () => {
    const { graphApiUrl, accessToken, phoneNumberId } = t.sandbox.channel;
    const to = customer(t, 0).waId;
    const message = (image: Record<string, unknown>) => ({
      messaging_product: 'whatsapp',
      to,
      type: 'template',
      template: {
        name: 'summer_sale',
        language: { code: 'en' },
        components: [{ type: 'header', parameters: [{ type: 'image', image }] }],
      },
    });
    const post = (body: unknown) =>
      fetch(`${graphApiUrl}/v25.0/${phoneNumberId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ours = await post(message({ id: '42' }));
    expect(ours.status).toBe(400);
    expect(((await ours.json()) as { error: { code: number } }).error.code).toBe(131053);
    const issued = (await db().selectFrom('media').select('graph_media_id').where('graph_media_id', 'is not', null).executeTakeFirstOrThrow()).graph_media_id;
    expect((await post(message({ id: issued }))).status).toBe(200);
  });
});
