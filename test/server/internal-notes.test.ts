/**
 * Internal notes through the client API, over a listening server with the sandbox: written by an
 * agent who may see the conversation, carried by the feed to those who may see it (a mention to
 * the agent it names, and only if they may see it), never sent to the customer (nothing reaches
 * the Graph API or the outbound queue), and bad input refused with its code, nothing changed.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoteAdded, NotePage, NoteView } from '../../common/api/notes.js';
import { MAX_NOTE_LENGTH } from '../../common/notes/note-text.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import { eventually, INBOX_TABLES, rowCounts as inboxRowCounts } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let sara: EnrolledAgent;
/** Anna's conversation (she answered it): Bruno may not see it, Sara supervises. */
let annas: number;
/** Unassigned: every agent may see it. */
let waiting: number;
const sockets: EventSocket[] = [];

const token = (agent: EnrolledAgent) => agent.session.accessToken;
/** Every table a note could change, with the inbox's. */
const rowCounts = (db: TestServer['server']['database']['db']) => inboxRowCounts(db, [...INBOX_TABLES, 'notes', 'note_mentions', 'events']);
const addNote = (agent: EnrolledAgent, conversationId: number, body: string, clientNoteId: string = crypto.randomUUID()) =>
  desk.call<NoteAdded>('POST', `/v1/conversations/${conversationId}/notes`, { clientNoteId, body }, token(agent));
const socketOf = async (agent: EnrolledAgent) => {
  const socket = await openEventSocket(t, desk, token(agent), 0);
  sockets.push(socket);
  await socket.next((event) => event.type === 'ready');
  return socket;
};

beforeAll(async () => {
  t = await startTestServer({ customers: 3 });
  desk = await approvedDevice(t);
  anna = await enrolledAgent(t, desk, 'anna');
  bruno = await enrolledAgent(t, desk, 'bruno');
  sara = await enrolledAgent(t, desk, 'sara', 'supervisor');
  await conversationsWaitForAReply(t);
  annas = (await customerWrites(t, customer(t, 0), 'My order never came')).conversationId;
  const reply = await desk.call(
    'POST',
    '/v1/messages',
    { idempotencyKey: crypto.randomUUID(), conversationId: annas, kind: 'text', text: 'On it' },
    token(anna),
  );
  expect(reply.status).toBe(201);
  waiting = (await customerWrites(t, customer(t, 1), 'Anyone there?')).conversationId;
}, 60_000);
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t?.close();
});

describe('internal notes', () => {
  it('are kept for colleagues, listed and read by id by those who may see the conversation, and the feed carries them (a mention to its agent alone)', async () => {
    const [annaLive, saraLive, brunoLive] = [await socketOf(anna), await socketOf(sara), await socketOf(bruno)];
    const added = await addNote(anna, annas, '  Refund approved by @sara — courier lost it  ');
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const note = added.body.note;
    expect(note).toMatchObject({
      conversationId: annas,
      author: { agentId: anna.agentId, username: 'anna' },
      body: 'Refund approved by @sara — courier lost it',
      mentions: [{ agentId: sara.agentId, username: 'sara', displayName: 'Sara' }],
    });
    expect(added.body.duplicate).toBe(false);

    for (const viewer of [anna, sara]) {
      const listed = await desk.call<NotePage>('GET', `/v1/conversations/${annas}/notes`, undefined, token(viewer));
      expect(listed.body.items.map((item) => item.id)).toEqual([note.id]);
      expect((await desk.call<NoteView>('GET', `/v1/notes/${note.id}`, undefined, token(viewer))).body).toEqual(note);
    }
    const seenBy = async (socket: EventSocket) =>
      (await socket.next((event) => event.type === 'note' && event.note.id === note.id, 5000)) as Extract<(typeof socket.events)[number], { type: 'note' }>;
    expect((await seenBy(annaLive)).note).toEqual(note);
    expect((await seenBy(saraLive)).note).toEqual(note);
    const mention = await saraLive.next((event) => event.type === 'mention', 5000);
    expect(mention).toMatchObject({ type: 'mention', note: { id: note.id }, conversation: { id: annas } });
    // A later event on a conversation Bruno sees shows the feed went on past the note for him too.
    const sentinel = await customerWrites(t, customer(t, 1), 'still waiting');
    await brunoLive.next((event) => event.type === 'message' && event.message.id === sentinel.messageId, 5000);
    await annaLive.next((event) => event.type === 'message' && event.message.id === sentinel.messageId, 5000);
    expect(brunoLive.events.filter((event) => event.type === 'note' || event.type === 'mention')).toEqual([]);
    expect(annaLive.events.filter((event) => event.type === 'mention')).toEqual([]);
  });

  it('answer someone who may not see the conversation that there is no such note or conversation, on every route', async () => {
    const { body } = await addNote(anna, annas, 'Customer is upset, be gentle');
    const before = await rowCounts(t.server.database.db);
    const refusals = [
      await desk.call('GET', `/v1/conversations/${annas}/notes`, undefined, token(bruno)),
      await desk.call('GET', `/v1/conversations/${annas}/mentionable`, undefined, token(bruno)),
      await addNote(bruno, annas, 'Can I help?'),
    ];
    for (const refusal of refusals) expect(refusal).toMatchObject({ status: 404, body: { error: { code: 'conversation_not_found' } } });
    expect(await desk.call('GET', `/v1/notes/${body.note.id}`, undefined, token(bruno))).toMatchObject({
      status: 404,
      body: { error: { code: 'note_not_found' } },
    });
    expect(JSON.stringify(refusals)).not.toContain('gentle');
    expect(await rowCounts(t.server.database.db)).toEqual(before);
  });

  it('offer as mentionable exactly the active agents who may see the conversation', async () => {
    const names = async (agent: EnrolledAgent, id: number) =>
      (await desk.call<{ agents: Array<{ username: string }> }>('GET', `/v1/conversations/${id}/mentionable`, undefined, token(agent))).body.agents.map(
        (entry) => entry.username,
      );
    expect(await names(anna, annas)).toEqual(['anna', 'sara']);
    expect(await names(bruno, waiting)).toEqual(['anna', 'bruno', 'sara']);
  });

  it('refuse a mention of someone who may not see the conversation, and of a name that is no agent, adding nothing', async () => {
    const before = await rowCounts(t.server.database.db);
    const cases: Array<[string, string]> = [
      ['Ask @bruno, he knows the courier', 'note_mention_not_permitted'],
      ['Ask @nobody.here about it', 'note_mention_unknown'],
      ['Both @sara and @bruno should know', 'note_mention_not_permitted'],
    ];
    for (const [text, code] of cases) {
      const refused = await addNote(anna, annas, text);
      expect(refused, text).toMatchObject({ status: 422, body: { error: { code } } });
    }
    expect(await rowCounts(t.server.database.db)).toEqual(before);
    // In a conversation Bruno may see, the same mention is a mention; an e-mail address and the author's own name are text.
    const allowed = await addNote(anna, waiting, 'Ask @bruno. Mail anna@example.com, or me (@anna)');
    expect(allowed.status).toBe(201);
    expect(allowed.body.note.mentions.map((mention) => mention.username)).toEqual(['bruno']);
  });

  it('refuse an empty or too long note, and a key used for another note, changing nothing; the same note twice is added once', async () => {
    const before = await rowCounts(t.server.database.db);
    expect(await addNote(anna, annas, '   \n ')).toMatchObject({ status: 422, body: { error: { code: 'note_empty' } } });
    expect(await addNote(anna, annas, 'x'.repeat(MAX_NOTE_LENGTH + 1))).toMatchObject({ status: 422, body: { error: { code: 'note_too_long' } } });
    expect(await addNote(anna, annas, 'x'.repeat(20_000))).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await desk.call('POST', `/v1/conversations/${annas}/notes`, { body: 'no key' }, token(anna))).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    expect(await rowCounts(t.server.database.db)).toEqual(before);

    const key = crypto.randomUUID();
    const first = await addNote(anna, annas, 'Called the courier', key);
    const again = await addNote(anna, annas, 'Called the courier', key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ note: first.body.note, duplicate: true });
    expect(await addNote(anna, annas, 'Something else', key)).toMatchObject({ status: 409, body: { error: { code: 'idempotency_key_reused' } } });
    const notes = await t.server.database.db.selectFrom('notes').select('id').where('client_note_id', '=', key).execute();
    expect(notes).toHaveLength(1);
  });

  it('never reach the customer: nothing goes to the Graph API or into the outbound queue', async () => {
    const { db } = t.server.database;
    const secret = `notetext${crypto.randomBytes(4).toString('hex')}`;
    const messagesBefore = (await rowCounts(db)).messages ?? 0;
    const acceptedBefore = t.sandbox.graph.accepted.length;
    const added = await addNote(anna, annas, `Internal only: ${secret}`);
    expect(added.status).toBe(201);
    // A reply after it does go out: the dispatcher ran, and sent only the reply.
    const reply = await desk.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: annas, kind: 'text', text: 'Refund sent' },
      token(anna),
    );
    expect(reply.status).toBe(201);
    await eventually(() => Promise.resolve(t.sandbox.graph.accepted.length > acceptedBefore || undefined), 10_000, 'the reply accepted by the sandbox');
    await t.server.dispatcher.settled();
    const sent = t.sandbox.graph.accepted.slice(acceptedBefore);
    expect(sent.map((message) => message.body)).toEqual([expect.objectContaining({ text: expect.objectContaining({ body: 'Refund sent' }) })]);
    expect(JSON.stringify(t.sandbox.graph.accepted)).not.toContain(secret);
    expect((await rowCounts(db)).messages).toBe(messagesBefore + 1);
    const carrying = await db.selectFrom('messages').select('id').where('content_json', 'like', `%${secret}%`).execute();
    expect(carrying).toEqual([]);
  });
});
