/**
 * Regression: the feed kept only the latest row per conversation of each batch and said
 * `conversation_hidden` only when that row was the assignment. A conversation taken by another
 * agent and read (or written to) in the same batch, or in the same reconnect replay, was never
 * taken from the agent who could see it before: their cache kept it. Over a listening server,
 * live and on replay; who may see what comes from the one rule in common/.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_TEAM, teamViewer } from '../helpers/cache-rows.js';
import type { ServerEvent } from '../../common/api/events.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EventSocket } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';

let t: TestServer | undefined;
const sockets: EventSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await t?.close();
  t = undefined;
});

async function socketOf(
  server: TestServer,
  ...args: Parameters<typeof openEventSocket> extends [TestServer, ...infer Rest] ? Rest : never
): Promise<EventSocket> {
  const socket = await openEventSocket(server, ...args);
  sockets.push(socket);
  return socket;
}

/** Events of one conversation that show it (its state or one of its messages). */
const shows = (conversationId: number) => (event: ServerEvent) =>
  (event.type === 'conversation' && event.conversation.id === conversationId) ||
  (event.type === 'message' && event.conversation.id === conversationId) ||
  (event.type === 'status' && event.conversationId === conversationId);
const hides = (conversationId: number) => (event: ServerEvent) => event.type === 'conversation_hidden' && event.conversationId === conversationId;

async function lastFeedSeqOf(server: TestServer, conversationId: number): Promise<number> {
  // On PostgreSQL the last events are numbered by the pass after their commit.
  await server.server.database.feedSequencer.stamp();
  const row = await server.server.database.db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

async function threeViewers() {
  const server = await startTestServer();
  t = server;
  const device = await approvedDevice(server);
  const anna = await enrolledAgent(server, device, 'anna');
  const bruno = await enrolledAgent(server, device, 'bruno');
  const chief = await enrolledAgent(server, device, 'chief', 'supervisor');
  await conversationsWaitForAReply(server);
  return { server, device, anna, bruno, chief };
}

describe('the feed tells an agent a conversation left them, whatever else changed with it', () => {
  it('live: a hand-over and a read of the same conversation committed together', async () => {
    const { server, device, anna, bruno, chief } = await threeViewers();
    const written = await customerWrites(server, customer(server, 0), 'Can someone help?');
    const other = await customerWrites(server, customer(server, 1), 'Me too');
    const brunoSocket = await socketOf(server, device, bruno.session.accessToken);
    const chiefSocket = await socketOf(server, device, chief.session.accessToken);
    await Promise.all([brunoSocket.next((event) => event.type === 'ready'), chiefSocket.next((event) => event.type === 'ready')]);
    // Unassigned: Bruno sees it, as the rule says.
    expect(maySeeConversation(teamViewer(bruno.agentId, 'agent'), { assignedAgentId: null, teamId: TEST_TEAM })).toBe(true);
    expect(brunoSocket.events.some(shows(written.conversationId))).toBe(true);
    const before = brunoSocket.events.length;

    // A supervisor hands it to Anna and it is read, in one commit: one batch of the feed.
    await server.server.committer.submit(async (trx) => {
      await trx
        .updateTable('conversations')
        .set({ assigned_agent_id: anna.agentId, assigned_at: Date.now() })
        .where('id', '=', written.conversationId)
        .execute();
      await trx.updateTable('conversations').set({ unread_count: 0 }).where('id', '=', written.conversationId).execute();
    });
    expect(maySeeConversation(teamViewer(bruno.agentId, 'agent'), { assignedAgentId: anna.agentId, teamId: TEST_TEAM })).toBe(false);

    const hidden = await brunoSocket.next(hides(written.conversationId));
    // The notice covers every state of the batch, so nothing older can bring the conversation back.
    expect(hidden.type === 'conversation_hidden' && hidden.seq).toBe(await lastFeedSeqOf(server, written.conversationId));
    expect(brunoSocket.events.slice(before).some(shows(written.conversationId))).toBe(false);
    const shown = await chiefSocket.next(
      (event) => shows(written.conversationId)(event) && event.type === 'conversation' && event.conversation.unreadCount === 0,
    );
    expect(shown).toMatchObject({ conversation: { assignedAgentId: anna.agentId } });
    expect(chiefSocket.events.some((event) => event.type === 'conversation_hidden')).toBe(false);
    // The other unassigned conversation stays Bruno's to see.
    expect(brunoSocket.events.some(hides(other.conversationId))).toBe(false);
  });

  it('on replay: taken with a reply, read, and written to again while the agent was away', async () => {
    const { server, device, anna, bruno, chief } = await threeViewers();
    const written = await customerWrites(server, customer(server, 0), 'Who can help me?');
    const away = await socketOf(server, device, bruno.session.accessToken);
    const ready = await away.next((event) => event.type === 'ready');
    expect(away.events.some(shows(written.conversationId))).toBe(true);
    away.close();
    await away.closed;

    const reply = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: 'anna-takes-it-01', conversationId: written.conversationId, kind: 'text', text: 'Ci penso io' },
      anna.session.accessToken,
    );
    expect(reply.status).toBe(201);
    const read = await device.call('POST', `/v1/conversations/${written.conversationId}/read`, {}, anna.session.accessToken);
    expect(read.status).toBe(200);
    const followUp = await customerWrites(server, customer(server, 0), 'Grazie!');

    const back = await socketOf(server, device, bruno.session.accessToken, ready.type === 'ready' ? ready.lastSeq : 0);
    await back.next((event) => event.type === 'ready');
    const hidden = back.events.find(hides(written.conversationId));
    expect(hidden, JSON.stringify(back.events.map((event) => event.type))).toBeDefined();
    expect(hidden?.type === 'conversation_hidden' && hidden.seq).toBe(await lastFeedSeqOf(server, written.conversationId));
    expect(back.events.some(shows(written.conversationId))).toBe(false);

    // Anna and the supervisor replay it in its latest state, the follow-up included.
    for (const viewer of [anna, chief]) {
      const replay = await socketOf(server, device, viewer.session.accessToken, ready.type === 'ready' ? ready.lastSeq : 0);
      await replay.next((event) => event.type === 'ready');
      expect(replay.events.some(hides(written.conversationId))).toBe(false);
      expect(replay.events.find((event) => event.type === 'message' && event.message.id === followUp.messageId)).toMatchObject({
        conversation: { assignedAgentId: anna.agentId },
      });
    }
  });
});
