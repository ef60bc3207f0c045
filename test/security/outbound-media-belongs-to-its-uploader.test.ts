/**
 * An uploaded file belongs to the agent who uploaded it until it is sent, then to the one
 * conversation it went to. Media ids are sequential, so another agent must not be able to send
 * someone's upload to their own customer (and so download it); a file already in a conversation
 * the sender may see is sent as a copy, never one row in two conversations; and a download is
 * judged by the message that carries the file, the exact one when the client names it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MediaUploaded, SendAccepted } from '../../common/api/inbox.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { PNG } from '../helpers/file-samples.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

let sequence = 0;
const key = (who: string) => `${who}-send-${(sequence += 1).toString().padStart(4, '0')}`;

async function setUp() {
  const server = (t = await startTestServer({ customers: 4 }));
  const device = await approvedDevice(server);
  const anna = await enrolledAgent(server, device, 'anna');
  const bruno = await enrolledAgent(server, device, 'bruno');
  const sara = await enrolledAgent(server, device, 'sara', 'supervisor');
  const send = (who: EnrolledAgent, conversationId: number, body: Record<string, unknown>) =>
    device.call<SendAccepted & { error?: { code: string } }>(
      'POST',
      '/v1/messages',
      { idempotencyKey: key(who.username), conversationId, ...body },
      who.session.accessToken,
    );
  const claim = async (who: EnrolledAgent, index: number) => {
    const written = await customerWrites(server, customer(server, index), `Buongiorno da ${index}`);
    expect((await send(who, written.conversationId, { kind: 'text', text: 'Ci penso io.' })).status).toBe(201);
    return written.conversationId;
  };
  return { t: server, anna, bruno, sara, send, claim };
}

async function uploadPng(t: TestServer, who: EnrolledAgent): Promise<number> {
  const response = await fetch(`${t.server.url}/v1/media?kind=image&filename=receipt.png`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.session.accessToken}`, 'content-type': 'image/png' },
    body: PNG,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as MediaUploaded).mediaId;
}

/** The download's status; a file served must be the bytes stored. */
async function download(t: TestServer, who: EnrolledAgent, mediaId: number, messageId?: number): Promise<number> {
  const query = messageId === undefined ? '' : `?messageId=${messageId}`;
  const response = await fetch(`${t.server.url}/v1/media/${mediaId}${query}`, { headers: { authorization: `Bearer ${who.session.accessToken}` } });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status === 200) expect(body.equals(PNG)).toBe(true);
  return response.status;
}

describe('outbound media belongs to its uploader and its conversation', () => {
  it('refuses another agent’s unsent upload, for sending and for download, supervisors included', async () => {
    const { t, anna, bruno, sara, send, claim } = await setUp();
    const annas = await claim(anna, 0);
    const brunos = await claim(bruno, 1);
    const upload = await uploadPng(t, anna);

    expect(await download(t, bruno, upload)).toBe(404);
    // Bruno guesses the next id and attaches it to his own customer before Anna sends it.
    const stolen = await send(bruno, brunos, { kind: 'media', mediaId: upload });
    expect(stolen).toMatchObject({ status: 404, body: { error: { code: 'media_not_found' } } });
    expect(await download(t, bruno, upload)).toBe(404);
    expect((await send(sara, brunos, { kind: 'media', mediaId: upload })).status).toBe(404);
    expect(await t.server.database.db.selectFrom('messages').select('id').where('media_id', 'is not', null).execute()).toEqual([]);

    // Anna may look at her own upload before she sends it, then sends it.
    expect(await download(t, anna, upload)).toBe(200);
    const sent = await send(anna, annas, { kind: 'media', mediaId: upload, caption: 'La ricevuta' });
    expect(sent.status).toBe(201);
    expect(sent.body.message.media?.id).toBe(upload);
    const row = await t.server.database.db.selectFrom('media').selectAll().where('id', '=', upload).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ uploaded_by_agent_id: anna.agentId, sent_to_conversation_id: annas });
    expect(await download(t, anna, upload)).toBe(200);
    expect(await download(t, bruno, upload)).toBe(404);
    // Sent, it is in Anna's conversation only: Bruno still cannot send it on.
    expect(await send(bruno, brunos, { kind: 'media', mediaId: upload })).toMatchObject({ status: 404, body: { error: { code: 'media_not_found' } } });
  });

  it('sends media already in a conversation the sender may see as a copy, never one row in two conversations', async () => {
    const { t, anna, bruno, sara, send, claim } = await setUp();
    const annas = await claim(anna, 0);
    const brunos = await claim(bruno, 1);
    const upload = await uploadPng(t, anna);
    expect((await send(anna, annas, { kind: 'media', mediaId: upload })).status).toBe(201);

    // Anna sends the same file to a customer waiting in the queue, and again to the first one.
    const waiting = (await customerWrites(t, customer(t, 2), 'Anche a me la ricevuta')).conversationId;
    const again = await send(anna, waiting, { kind: 'media', mediaId: upload });
    expect(again.status).toBe(201);
    const copy = again.body.message.media?.id ?? 0;
    expect(copy).not.toBe(upload);
    const twice = await send(anna, annas, { kind: 'media', mediaId: upload });
    expect(twice.body.message.media?.id).not.toBe(upload);
    // A supervisor sees every conversation, so may forward it to Bruno's customer: a copy too.
    const forwarded = await send(sara, brunos, { kind: 'media', mediaId: upload });
    expect(forwarded.status).toBe(201);

    const db = t.server.database.db;
    const original = await db.selectFrom('media').selectAll().where('id', '=', upload).executeTakeFirstOrThrow();
    const copied = await db.selectFrom('media').selectAll().where('id', '=', copy).executeTakeFirstOrThrow();
    expect(original.sent_to_conversation_id).toBe(annas);
    expect(copied).toMatchObject({
      direction: 'outbound',
      sha256: original.sha256,
      size: original.size,
      mime_type: 'image/png',
      uploaded_by_agent_id: anna.agentId,
      sent_to_conversation_id: waiting,
    });
    // Every media row is carried by messages of one conversation, the one it records.
    const carried = await db
      .selectFrom('messages')
      .innerJoin('media', 'media.id', 'messages.media_id')
      .select(['media.id', 'media.sent_to_conversation_id', 'messages.conversation_id'])
      .execute();
    expect(carried).toHaveLength(4);
    for (const row of carried) expect(row.conversation_id).toBe(row.sent_to_conversation_id);
    expect(new Set(carried.map((row) => row.id)).size).toBe(4);
    // Bruno may download what was sent in his conversation, not the rest.
    expect(await download(t, bruno, forwarded.body.message.media?.id ?? 0)).toBe(200);
    expect(await download(t, bruno, copy)).toBe(404);
  });

  it('judges a download by the message that carries the file, the exact one when it is named', async () => {
    const { t, anna, bruno, claim } = await setUp();
    const annas = await claim(anna, 0);
    const brunos = await claim(bruno, 1);
    // The same file, by the same Meta media id, reaches two conversations: one row for both.
    const media = t.sandbox.graph.addMedia(PNG, 'image/png');
    const shared = { type: 'image' as const, image: { id: media.id, mime_type: 'image/png', sha256: media.sha256Base64 } };
    const inAnnas = await t.customers.write(customer(t, 0), shared);
    const inBrunos = await t.customers.write(customer(t, 1), shared);
    const db = t.server.database.db;
    const row = await eventually(async () => {
      const found = await db.selectFrom('media').select(['id', 'state']).where('graph_media_id', '=', media.id).executeTakeFirst();
      return found?.state === 'stored' ? found : undefined;
    });
    const messageOf = async (wamid: string) =>
      db.selectFrom('messages').select(['id', 'conversation_id', 'media_id']).where('wamid', '=', wamid).executeTakeFirstOrThrow();
    const [annasMessage, brunosMessage] = [await messageOf(inAnnas.wamid), await messageOf(inBrunos.wamid)];
    expect([annasMessage.conversation_id, brunosMessage.conversation_id, annasMessage.media_id, brunosMessage.media_id]).toEqual([
      annas,
      brunos,
      row.id,
      row.id,
    ]);

    // Each agent sees a message carrying it, whichever message the store happens to list first.
    expect(await download(t, anna, row.id)).toBe(200);
    expect(await download(t, bruno, row.id)).toBe(200);
    // Naming the message: it must carry this file and be one the caller may see.
    expect(await download(t, bruno, row.id, brunosMessage.id)).toBe(200);
    expect(await download(t, bruno, row.id, annasMessage.id)).toBe(404);
    expect(await download(t, anna, row.id, brunosMessage.id)).toBe(404);
    const annasText = await db.selectFrom('messages').select('id').where('conversation_id', '=', annas).where('media_id', 'is', null).executeTakeFirstOrThrow();
    expect(await download(t, anna, row.id, annasText.id)).toBe(404);
  });
});
