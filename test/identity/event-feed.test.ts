/**
 * The event feed: resume after the last seq seen (missed events arrive, nothing twice), a replay
 * from the start converges to the same state, a feed that cannot cover the gap says resync, and
 * each agent sees only the conversations they may see.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedEvent, ServerEvent } from '../../common/api/events.js';
import type { MessagePage } from '../../common/api/inbox.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const isFeed = (event: ServerEvent): event is FeedEvent => event.type === 'message' || event.type === 'status' || event.type === 'conversation';
const messageIds = (events: readonly ServerEvent[]) =>
  events.filter(isFeed).flatMap((event) => (event.type === 'message' || event.type === 'status' ? [event.message.id] : []));

describe('the event feed', () => {
  it('refuses the socket without a session, to a revoked device, and without the device proof', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t, 'it-desk');
    const admin = await enrolledAgent(t, device, 'root.admin', 'admin');
    const revokedDevice = await approvedDevice(t, 'lost-laptop');
    const revokedToken = (await enrolledAgent(t, revokedDevice, 'lost.user', 'admin')).session.accessToken;
    const row = await t.server.database.db.selectFrom('devices').select('id').where('machine_id', '=', revokedDevice.machineId).executeTakeFirstOrThrow();
    await t.server.identity.devices.revoke(row.id, 'lost', IT);

    await expect(openEventSocket(t, device, '')).rejects.toThrow(/HTTP 401/);
    await expect(openEventSocket(t, revokedDevice, revokedToken)).rejects.toThrow(/HTTP 403/);
    // A live token on its own (no proof signed by the workstation's key) does not open the feed.
    const bare = await device.call('GET', '/v1/events', undefined, admin.session.accessToken);
    expect(bare).toMatchObject({ status: 401, body: { error: { code: 'proof_invalid' } } });
  });

  it('resumes after the last seq seen, with what was missed and nothing twice', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const agent = await enrolledAgent(t, device, 'rita', 'supervisor');
    const first = await openEventSocket(t, device, agent.session.accessToken);
    await first.next((event) => event.type === 'ready');
    const a = await customerWrites(t, customer(t, 0), 'first');
    await first.next((event) => event.type === 'message' && event.message.id === a.messageId);
    const lastSeq = Math.max(...first.events.filter(isFeed).map((event) => event.seq));
    first.close();
    await first.closed;

    const missed = [
      await customerWrites(t, customer(t, 1), 'second'),
      await customerWrites(t, customer(t, 2), 'third'),
      await customerWrites(t, customer(t, 0), 'fourth'),
    ];
    // On PostgreSQL an event is numbered by the stamping pass that follows its commit, not before the
    // webhook's 200; the resume is what this test checks (the feed-order property covers the passes).
    await t.server.database.feedSequencer.stamp();
    const second = await openEventSocket(t, device, agent.session.accessToken, lastSeq);
    const ready = await second.next((event) => event.type === 'ready');
    expect(messageIds(second.events)).toEqual(missed.map((message) => message.messageId));
    const seqs = second.events.filter(isFeed).map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs.every((seq) => seq > lastSeq)).toBe(true);
    expect(ready).toMatchObject({ type: 'ready', lastSeq: Math.max(...seqs) });

    // The first message changes after it was sent: the customer reacts to it.
    const reacted = await t.customers.write(customer(t, 0), { type: 'reaction', reaction: { message_id: a.wamid, emoji: '👍' } });
    expect(reacted.delivered).toBe(true);
    await second.next((event) => event.type === 'message' && event.message.id === a.messageId && event.message.reactions.length === 1);

    // From the start: every message once, each in its latest state (as the server reads it now).
    const replay = await openEventSocket(t, device, agent.session.accessToken, 0);
    await replay.next((event) => event.type === 'ready');
    expect(messageIds(replay.events).sort((x, y) => x - y)).toEqual([a, ...missed].map((message) => message.messageId).sort((x, y) => x - y));
    for (const event of replay.events) {
      if (event.type !== 'message' && event.type !== 'status') continue;
      const page = await device.call<MessagePage>('GET', `/v1/conversations/${event.message.conversationId}/messages`, undefined, agent.session.accessToken);
      expect(event.message).toEqual(page.body.items.find((item) => item.id === event.message.id));
    }
    expect(replay.events.find((event) => event.type === 'message' && event.message.id === a.messageId)).toMatchObject({
      message: { reactions: [{ actor: 'customer', emoji: '👍' }] },
    });
    second.close();
    replay.close();
  });

  it('tells a client to resync when the feed no longer covers its gap', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const agent = await enrolledAgent(t, device, 'tom', 'supervisor');
    for (let i = 0; i < 4; i += 1) await customerWrites(t, customer(t, i % 2), `message ${i}`);
    // On PostgreSQL an event is numbered by the pass after its commit: the last one, too, before it is read.
    await t.server.database.feedSequencer.stamp();
    const last = await t.server.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    // Retention pruned the oldest events.
    await t.server.committer.submit((trx) =>
      trx
        .deleteFrom('events')
        .where('seq', '<=', Number(last.seq) - 1)
        .execute(),
    );
    const socket = await openEventSocket(t, device, agent.session.accessToken, 1);
    const resync = await socket.next((event) => event.type === 'resync');
    expect(resync).toEqual({ type: 'resync', lastSeq: Number(last.seq) });
    await socket.next((event) => event.type === 'ready');
    // A seq from another store (ahead of this one) resyncs too.
    const ahead = await openEventSocket(t, device, agent.session.accessToken, Number(last.seq) + 1000);
    expect(await ahead.next((event) => event.type === 'resync')).toEqual({ type: 'resync', lastSeq: Number(last.seq) });
    socket.close();
    ahead.close();
  });

  it('shows agents their own and unassigned conversations only; supervisors see all', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const anna = await enrolledAgent(t, device, 'anna');
    const bruno = await enrolledAgent(t, device, 'bruno');
    const chief = await enrolledAgent(t, device, 'chief', 'supervisor');
    const taken = await customerWrites(t, customer(t, 0), 'I need help');
    const reply = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: 'anna-takes-0001', conversationId: taken.conversationId, kind: 'text', text: 'Eccomi' },
      anna.session.accessToken,
    );
    expect(reply.status).toBe(201);

    const brunoSocket = await openEventSocket(t, device, bruno.session.accessToken);
    const chiefSocket = await openEventSocket(t, device, chief.session.accessToken);
    await Promise.all([brunoSocket.next((event) => event.type === 'ready'), chiefSocket.next((event) => event.type === 'ready')]);
    const followUp = await customerWrites(t, customer(t, 0), 'Are you there?');
    const open = await customerWrites(t, customer(t, 1), 'Anyone?');
    await chiefSocket.next((event) => event.type === 'message' && event.message.id === open.messageId);
    await brunoSocket.next((event) => event.type === 'message' && event.message.id === open.messageId);
    expect(messageIds(chiefSocket.events)).toContain(followUp.messageId);
    expect(messageIds(brunoSocket.events)).not.toContain(followUp.messageId);
    expect(messageIds(brunoSocket.events)).not.toContain(taken.messageId);

    // Bruno cannot read or answer Anna's conversation either.
    expect(await device.call('GET', `/v1/conversations/${taken.conversationId}/messages`, undefined, bruno.session.accessToken)).toMatchObject({ status: 404 });
    const refused = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: 'bruno-tries-01', conversationId: taken.conversationId, kind: 'text', text: 'Hi' },
      bruno.session.accessToken,
    );
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'conversation_not_found' } } });
    brunoSocket.close();
    chiefSocket.close();
  });
});

describe('a conversation another agent takes', () => {
  it('leaves the other agents’ feed with conversation_hidden, and stays with its new owner and supervisors', async () => {
    t = await startTestServer();
    const device = await approvedDevice(t);
    const anna = await enrolledAgent(t, device, 'anna');
    const bruno = await enrolledAgent(t, device, 'bruno');
    const chief = await enrolledAgent(t, device, 'chief', 'supervisor');
    // Bruno is online once his socket opens: with room he would be given it before Anna answers.
    await conversationsWaitForAReply(t);
    const written = await customerWrites(t, customer(t, 0), 'Who can help me?');
    const brunoSocket = await openEventSocket(t, device, bruno.session.accessToken);
    const chiefSocket = await openEventSocket(t, device, chief.session.accessToken);
    await Promise.all([brunoSocket.next((event) => event.type === 'ready'), chiefSocket.next((event) => event.type === 'ready')]);

    const reply = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: 'anna-takes-it-1', conversationId: written.conversationId, kind: 'text', text: 'Ci penso io' },
      anna.session.accessToken,
    );
    expect(reply.status).toBe(201);
    const hidden = await brunoSocket.next((event) => event.type === 'conversation_hidden');
    expect(hidden).toMatchObject({ type: 'conversation_hidden', conversationId: written.conversationId });
    const shown = await chiefSocket.next((event) => event.type === 'conversation' && event.conversation.id === written.conversationId);
    expect(shown).toMatchObject({ conversation: { assignedAgentId: anna.agentId } });
    expect(chiefSocket.events.some((event) => event.type === 'conversation_hidden')).toBe(false);
    brunoSocket.close();
    chiefSocket.close();
  });
});
