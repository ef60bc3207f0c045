/**
 * Regression: the feed serialized and wrote every event separately for every socket, one
 * WebSocket message each, so a burst cost one JSON.stringify and one frame write per event per
 * socket. Now what a delivery pass has for a socket goes out as one frame (EventFrame: an array
 * of events in seq order), and sockets whose agents see the same conversations get the same
 * bytes. Seen on the wire, with raw bytes compared between sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { EventFrame } from '../../common/api/events.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EventSocket } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
const sockets: EventSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await t?.close();
  t = undefined;
});

/** The raw text of every frame a socket receives. */
function rawFrames(socket: WebSocket): string[] {
  const frames: string[] = [];
  socket.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
  return frames;
}

describe('events that pile up', () => {
  it('reach each socket in one frame, the same bytes for agents who see the same conversations', async () => {
    const server = await startTestServer({ customers: 6 });
    t = server;
    const device = await approvedDevice(server);
    const chief = await enrolledAgent(server, device, 'chief', 'supervisor');
    const deputy = await enrolledAgent(server, device, 'deputy', 'supervisor');
    const anna = await enrolledAgent(server, device, 'anna');
    const bruno = await enrolledAgent(server, device, 'bruno');
    // Anna is online once her socket opens: with room she would be given these before the hand-over below.
    await conversationsWaitForAReply(server);
    const taken = await customerWrites(server, customer(server, 0), 'I need help');
    const others = [await customerWrites(server, customer(server, 1), 'Hello?'), await customerWrites(server, customer(server, 2), 'Ciao')];

    const chiefSocket = await openEventSocket(server, device, chief.session.accessToken);
    const deputySocket = await openEventSocket(server, device, deputy.session.accessToken);
    const annaSocket = await openEventSocket(server, device, anna.session.accessToken);
    sockets.push(chiefSocket, deputySocket, annaSocket);
    const [chiefRaw, deputyRaw] = [rawFrames(chiefSocket.socket), rawFrames(deputySocket.socket)];
    await Promise.all([chiefSocket, deputySocket, annaSocket].map((socket) => socket.next((event) => event.type === 'ready')));
    const framesBefore = [chiefSocket, deputySocket, annaSocket].map((socket) => socket.frameSizes.length);

    // Seven changes committed together (one read of the feed): a hand-over to Bruno, and reads.
    await server.server.committer.submit(async (trx) => {
      await trx
        .updateTable('conversations')
        .set({ assigned_agent_id: bruno.agentId, assigned_at: Date.now() })
        .where('id', '=', taken.conversationId)
        .execute();
      for (const conversation of [taken, ...others]) {
        await trx.updateTable('conversations').set({ unread_count: 0 }).where('id', '=', conversation.conversationId).execute();
        await trx.updateTable('conversations').set({ unread_count: 1 }).where('id', '=', conversation.conversationId).execute();
      }
    });
    // On PostgreSQL the last events are numbered by the pass after their commit.
    await server.server.database.feedSequencer.stamp();
    const last = await server.server.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    const reached = (socket: EventSocket) => socket.next((event) => 'seq' in event && event.seq === Number(last.seq));
    await Promise.all([reached(chiefSocket), reached(deputySocket)]);
    await annaSocket.next((event) => event.type === 'conversation_hidden' && event.conversationId === taken.conversationId);

    // One frame each, holding the latest state of the three conversations.
    expect(chiefSocket.frameSizes.slice(framesBefore[0])).toEqual([3]);
    expect(deputySocket.frameSizes.slice(framesBefore[1])).toEqual([3]);
    // Anna may no longer see the taken one: the same frame tells her it left, with the others' state.
    expect(annaSocket.frameSizes.slice(framesBefore[2])).toEqual([3]);
    const annaTypes = annaSocket.events.slice(-3).map((event) => event.type);
    expect(annaTypes.sort()).toEqual(['conversation', 'conversation', 'conversation_hidden']);
    // The two supervisors see the same thing: byte for byte the same frame.
    expect(chiefRaw.at(-1)).toBe(deputyRaw.at(-1));
    expect(EventFrame.parse(JSON.parse(chiefRaw.at(-1) ?? ''))).toHaveLength(3);
  });

  it('comes in frames of at most one read of the feed on replay, in seq order', async () => {
    const server = await startTestServer({ customers: 4, eventFeed: { batchSize: 4 } });
    t = server;
    const device = await approvedDevice(server);
    const chief = await enrolledAgent(server, device, 'chief', 'supervisor');
    const written = [];
    for (let i = 0; i < 10; i += 1) written.push(await customerWrites(server, customer(server, i % 4), `message ${i}`));
    const replay = await openEventSocket(server, device, chief.session.accessToken, 0);
    sockets.push(replay);
    await replay.next((event) => event.type === 'ready');
    const feedFrames = replay.frameSizes.slice(0, -1);
    expect(feedFrames.length).toBeGreaterThan(1);
    expect(feedFrames.every((size) => size >= 1 && size <= 4)).toBe(true);
    expect(feedFrames.some((size) => size > 1)).toBe(true);
    expect(replay.frameSizes.at(-1)).toBe(1);
    const seqs = replay.events.flatMap((event) => ('seq' in event ? [event.seq] : []));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const ids = replay.events.flatMap((event) => (event.type === 'message' ? [event.message.id] : []));
    expect(ids.sort((a, b) => a - b)).toEqual(written.map((message) => message.messageId).sort((a, b) => a - b));
  });
});
