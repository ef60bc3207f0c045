/**
 * The server's side of a conversation's life, over a listening server with the sandbox: each
 * state change is audited under the agent, written as a history entry and carried by the feed
 * (`conversation` and `history` events); resolving keeps who resolved it, and the customer's next
 * message starts a new conversation naming the resolved one and its resolver; a pending or
 * snoozed conversation opens when the customer writes, a snooze also when its time comes, once;
 * "open conversations of an agent" counts open and pending ones only.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import type { ConversationPage, ConversationSummary, HistoryPage } from '../../common/api/inbox.js';
import { openConversationsOf } from '../../server/inbox/agent-load.js';
import { wakeSnoozedConversation } from '../../server/inbox/snooze-wakeups.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a conversation’s life on the server', () => {
  it('audits each change, keeps it in the history and the feed, and starts a new conversation after a resolution', async () => {
    let offset = 0;
    t = await startTestServer({ now: () => Date.now() + offset });
    const server = t;
    const { db } = server.server.database;
    const desk = await approvedDevice(server, 'desk');
    const anna = await enrolledAgent(server, desk, 'anna');
    const token = anna.session.accessToken;
    const socket = await openEventSocket(server, desk, token, 0);
    const state = (id: number, body: unknown) => desk.call<{ conversation: ConversationSummary }>('POST', `/v1/conversations/${id}/state`, body, token);
    const history = async (id: number) =>
      (await desk.call<HistoryPage>('GET', `/v1/conversations/${id}/history`, undefined, token)).body.items.map((entry): Partial<ConversationHistoryEntry> => ({
        kind: entry.kind,
        fromState: entry.fromState,
        state: entry.state,
        cause: entry.cause,
        actor: entry.actor,
      }));
    const annaActs = { agentId: anna.agentId, name: 'Anna' };

    const first = await customerWrites(server, customer(server, 0), 'My parcel is late');
    const sent = await desk.call<{ message: { id: number } }>(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: first.conversationId, kind: 'text', text: 'On it' },
      token,
    );
    expect(sent.status).toBe(201);
    expect(await openConversationsOf(db, anna.agentId)).toBe(1);

    // Pending, then the customer writes: open again, by the customer.
    expect((await state(first.conversationId, { state: 'pending' })).body.conversation.state).toBe('pending');
    expect(await openConversationsOf(db, anna.agentId)).toBe(1);
    const answer = await customerWrites(server, customer(server, 0), 'Here is the order number');
    // Each line reads after the message that was the latest when it was made: Anna's reply, before the customer's answer.
    const placed = await db
      .selectFrom('conversation_history')
      .select(['state', 'cause', 'after_message_id'])
      .where('kind', '=', 'state')
      .orderBy('id')
      .execute();
    expect(placed).toEqual([
      { state: 'pending', cause: 'agent', after_message_id: sent.body.message.id },
      { state: 'open', cause: 'customer', after_message_id: sent.body.message.id },
    ]);
    expect(answer.messageId).toBeGreaterThan(sent.body.message.id);
    // Snoozed, then the customer writes first.
    const snoozed = await state(first.conversationId, { state: 'snoozed', until: Date.now() + offset + 3_600_000 });
    expect(snoozed.body.conversation).toMatchObject({ state: 'snoozed', snoozedUntil: expect.any(Number) });
    expect(await openConversationsOf(db, anna.agentId)).toBe(0);
    await customerWrites(server, customer(server, 0), 'Any news?');
    // Snoozed a minute, and the minute passes: its job wakes it, once.
    const until = Date.now() + offset + 60_000;
    expect((await state(first.conversationId, { state: 'snoozed', until })).status).toBe(200);
    offset += 61_000;
    await eventually(
      async () =>
        (await db.selectFrom('conversations').select('state').where('id', '=', first.conversationId).executeTakeFirstOrThrow()).state === 'open'
          ? true
          : undefined,
      10_000,
      'the snooze to end',
    );
    expect(await server.server.database.db.transaction().execute((trx) => wakeSnoozedConversation(trx, first.conversationId, Date.now() + offset))).toBe(false);
    expect(await openConversationsOf(db, anna.agentId)).toBe(1);

    // Resolved: kept as Anna's, her place freed; the customer's next message begins a new conversation.
    const resolved = await state(first.conversationId, { state: 'resolved' });
    expect(resolved.body.conversation).toMatchObject({ state: 'resolved', resolvedBy: annaActs, assignedAgentId: anna.agentId });
    expect(await openConversationsOf(db, anna.agentId)).toBe(0);
    const second = await customerWrites(server, customer(server, 0), 'One more question');
    expect(second.conversationId).not.toBe(first.conversationId);
    const rows = await db
      .selectFrom('conversations')
      .select(['id', 'contact_id', 'state', 'assigned_agent_id', 'resolved_by_agent_id', 'previous_conversation_id', 'previous_resolved_by_agent_id'])
      .orderBy('id')
      .execute();
    const [earlier, current] = rows;
    expect(earlier).toMatchObject({ id: first.conversationId, state: 'resolved', resolved_by_agent_id: anna.agentId });
    expect(current).toMatchObject({
      id: second.conversationId,
      contact_id: earlier?.contact_id,
      state: 'open',
      // Anna resolved the contact's last one and is online with room: routing gives it back to her.
      assigned_agent_id: anna.agentId,
      previous_conversation_id: first.conversationId,
      previous_resolved_by_agent_id: anna.agentId,
    });
    const listed = await desk.call<ConversationPage>('GET', `/v1/conversations/${second.conversationId}/earlier`, undefined, token);
    expect(listed.body.items.map((item) => item.id)).toEqual([first.conversationId]);
    const resolvedList = await desk.call<ConversationPage>('GET', '/v1/conversations?filter=mine&state=resolved', undefined, token);
    expect(resolvedList.body.items.map((item) => item.id)).toEqual([first.conversationId]);
    const openList = await desk.call<ConversationPage>('GET', '/v1/conversations?filter=mine', undefined, token);
    expect(openList.body.items.map((item) => item.id)).toEqual([second.conversationId]);

    // Newest first: each change with who made it.
    expect(await history(first.conversationId)).toEqual([
      { kind: 'state', fromState: 'open', state: 'resolved', cause: 'agent', actor: annaActs },
      { kind: 'state', fromState: 'snoozed', state: 'open', cause: 'timer', actor: null },
      { kind: 'state', fromState: 'open', state: 'snoozed', cause: 'agent', actor: annaActs },
      { kind: 'state', fromState: 'snoozed', state: 'open', cause: 'customer', actor: null },
      { kind: 'state', fromState: 'open', state: 'snoozed', cause: 'agent', actor: annaActs },
      { kind: 'state', fromState: 'pending', state: 'open', cause: 'customer', actor: null },
      { kind: 'state', fromState: 'open', state: 'pending', cause: 'agent', actor: annaActs },
      // Anna was online when the customer first wrote: routing gave it to her.
      { kind: 'assignment', fromState: null, state: null, cause: 'routing', actor: null },
    ]);
    const audited = await db
      .selectFrom('audit_log')
      .select(['event', 'actor', 'agent_id', 'details_json'])
      .where('event', 'like', 'conversation.%')
      .orderBy('id')
      .execute();
    expect(audited.map((row) => [row.event, row.agent_id, (JSON.parse(row.details_json) as { conversationId: number }).conversationId])).toEqual([
      ['conversation.pending', anna.agentId, first.conversationId],
      ['conversation.snoozed', anna.agentId, first.conversationId],
      ['conversation.snoozed', anna.agentId, first.conversationId],
      ['conversation.resolved', anna.agentId, first.conversationId],
    ]);
    expect(audited.every((row) => row.actor.startsWith(`agent:${anna.agentId}:`))).toBe(true);

    // The feed carried every entry and the resolved state.
    const entries = await db.selectFrom('conversation_history').select('id').execute();
    await socket.next(
      (event) => event.type === 'conversation' && event.conversation.id === first.conversationId && event.conversation.state === 'resolved',
      10_000,
    );
    await eventually(
      () => {
        const carried = new Set(socket.events.flatMap((event) => (event.type === 'history' ? [event.entry.id] : [])));
        return Promise.resolve(entries.every((entry) => carried.has(entry.id)) ? true : undefined);
      },
      10_000,
      'every history entry on the feed',
    );
    socket.close();
  }, 60_000);
});
