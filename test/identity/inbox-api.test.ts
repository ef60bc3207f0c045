/**
 * The inbox through the client API: pages of conversations and messages, media both ways
 * (download streamed only to who may see it, upload then send), and the 24-hour window.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationPage, MediaUploaded, MessagePage, SendAccepted } from '../../common/api/inbox.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A small valid PNG (1×1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function download(url: string, token: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

describe('the inbox API', () => {
  it('pages conversations and messages with cursors, newest first, without gaps or repeats', async () => {
    t = await startTestServer({ customers: 5 });
    const device = await approvedDevice(t);
    const boss = await enrolledAgent(t, device, 'boss', 'supervisor');
    for (let i = 0; i < 5; i += 1) await customerWrites(t, customer(t, i), `hello from ${i}`);
    for (let i = 0; i < 4; i += 1) await customerWrites(t, customer(t, 0), `more ${i}`);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: ConversationPage } = await device.call<ConversationPage>(
        'GET',
        `/v1/conversations?filter=all&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        undefined,
        boss.session.accessToken,
      );
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    // Meta's timestamps have whole seconds: conversations active in the same second are ordered by id.
    const all = (await device.call<ConversationPage>('GET', '/v1/conversations?filter=all&limit=5', undefined, boss.session.accessToken)).body.items;
    expect(all.map((item) => item.id)).toEqual(seen);
    const first = all.find((item) => item.lastMessage?.text === 'more 3');
    expect(first).toBeDefined();

    const texts: string[] = [];
    let messageCursor: string | null = null;
    do {
      const page: { body: MessagePage } = await device.call<MessagePage>(
        'GET',
        `/v1/conversations/${first?.id}/messages?limit=2${messageCursor === null ? '' : `&cursor=${messageCursor}`}`,
        undefined,
        boss.session.accessToken,
      );
      texts.push(...page.body.items.map((item) => (item.content.type === 'text' ? item.content.body : item.content.type)));
      messageCursor = page.body.nextCursor;
    } while (messageCursor !== null);
    expect(texts).toEqual(['more 3', 'more 2', 'more 1', 'more 0', 'hello from 0']);
    expect(await device.call('GET', '/v1/conversations?filter=all&cursor=not*valid', undefined, boss.session.accessToken)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
  });

  it('streams a customer’s photo only to those who may see its conversation', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const anna = await enrolledAgent(t, device, 'anna');
    const bruno = await enrolledAgent(t, device, 'bruno');
    // A JPEG by its first bytes: the server judges a customer's file by its bytes before it serves it.
    const photo = Buffer.concat([Buffer.from('ffd8ffe000104a46494600', 'hex'), crypto.randomBytes(30_000)]);
    const media = t.sandbox.graph.addMedia(photo, 'image/jpeg');
    await t.customers.write(customer(t, 0), {
      type: 'image',
      image: { id: media.id, mime_type: 'image/jpeg', sha256: media.sha256Base64, caption: 'the damaged box' },
    });
    const server = t;
    const stored = await eventually(async () => {
      const row = await server.server.database.db.selectFrom('media').select(['id', 'state']).where('graph_media_id', '=', media.id).executeTakeFirst();
      return row?.state === 'stored' ? row : undefined;
    });
    const message = await t.server.database.db.selectFrom('messages').select(['conversation_id']).where('media_id', '=', stored.id).executeTakeFirstOrThrow();
    const url = `${t.server.url}/v1/media/${stored.id}`;

    const got = await download(url, anna.session.accessToken);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(photo)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);

    await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: 'anna-claims-01', conversationId: message.conversation_id, kind: 'text', text: 'Vedo la foto' },
      anna.session.accessToken,
    );
    expect((await download(url, bruno.session.accessToken)).status).toBe(404);
    expect((await download(url, anna.session.accessToken)).status).toBe(200);
    expect((await download(`${t.server.url}/v1/media/999`, anna.session.accessToken)).status).toBe(404);
  });

  it('uploads a file, sends it by id, and refuses types WhatsApp would not take', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const anna = await enrolledAgent(t, device, 'anna');
    const written = await customerWrites(t, customer(t, 0), 'Can you send the invoice?');
    const upload = await fetch(`${t.server.url}/v1/media?kind=image&filename=receipt.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${anna.session.accessToken}`, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(upload.status).toBe(201);
    const uploaded = (await upload.json()) as MediaUploaded;
    expect(uploaded).toMatchObject({ size: PNG.length, sha256: crypto.createHash('sha256').update(PNG).digest('hex') });
    const sent = await device.call<SendAccepted>(
      'POST',
      '/v1/messages',
      { idempotencyKey: 'invoice-send-01', conversationId: written.conversationId, kind: 'media', mediaId: uploaded.mediaId, caption: 'Ecco' },
      anna.session.accessToken,
    );
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({
      content: { type: 'image', mimeType: 'image/png', caption: 'Ecco' },
      media: { id: uploaded.mediaId, state: 'stored' },
    });

    const exe = await fetch(`${t.server.url}/v1/media?kind=document&filename=setup.exe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${anna.session.accessToken}`, 'content-type': 'application/x-msdownload' },
      body: Buffer.from('MZ'),
    });
    expect(exe.status).toBe(415);
    expect(await exe.json()).toMatchObject({ error: { code: 'attachment_type_not_allowed' } });
    const badName = await fetch(`${t.server.url}/v1/media?kind=image&filename=../../etc/passwd`, {
      method: 'POST',
      headers: { authorization: `Bearer ${anna.session.accessToken}`, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(badName.status).toBe(400);
  });

  it('refuses free-form messages outside the 24-hour window with template_required', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const anna = await enrolledAgent(t, device, 'anna');
    const written = await customerWrites(t, customer(t, 0), 'ciao');
    // The customer last wrote 25 hours ago.
    await t.server.database.db
      .updateTable('conversations')
      .set({ last_inbound_at: Date.now() - 25 * 60 * 60 * 1000 })
      .where('id', '=', written.conversationId)
      .execute();
    const refused = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: 'too-late-0001', conversationId: written.conversationId, kind: 'text', text: 'Sorry for the delay' },
      anna.session.accessToken,
    );
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'template_required' } } });
  });
});
