/**
 * Removing a team moves its conversations to the named team; one held by an agent who is not a
 * member of that team goes back to its queue (a history line), as when a member leaves a team:
 * nobody holds a conversation of a team they are not in. Before the fix it stayed theirs.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { runEvery } from '../helpers/run-every.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

const CLI = { name: 'cli:it', agentId: null, sourceAddress: null };

describe('a removed team’s conversations', () => {
  it('go back to the receiving team’s queue when their assignee is not in it, and stay with one who is', async () => {
    const t = await startTestServer();
    cleanups.push(() => t.close());
    const { db } = t.server.database;
    const teams = t.server.identity.teams;
    const general = (await teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    const vendite = (await teams.create({ name: 'Vendite' }, CLI)).id;
    const device = await approvedDevice(t);
    const bruno = await enrolledAgent(t, device, 'bruno', 'agent', [vendite]);
    const anna = await enrolledAgent(t, device, 'anna', 'agent', [vendite, general]);
    await conversationsWaitForAReply(t);
    const brunos = await customerWrites(t, customer(t, 0), 'Vorrei un preventivo');
    const annas = await customerWrites(t, customer(t, 1), 'Un altro preventivo');
    await db.updateTable('conversations').set({ team_id: vendite }).where('id', 'in', [brunos.conversationId, annas.conversationId]).execute();
    for (const [who, conversation] of [
      [bruno, brunos],
      [anna, annas],
    ] as const) {
      const reply = await device.call(
        'POST',
        '/v1/messages',
        { idempotencyKey: crypto.randomUUID(), conversationId: conversation.conversationId, kind: 'text', text: 'Ci penso io' },
        who.session.accessToken,
      );
      expect(reply.status).toBe(201);
    }

    await teams.remove(vendite, { moveConversationsTo: general }, CLI);

    const rows = await db
      .selectFrom('conversations')
      .select(['id', 'team_id', 'assigned_agent_id'])
      .where('id', 'in', [brunos.conversationId, annas.conversationId])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: brunos.conversationId, team_id: general, assigned_agent_id: null },
      { id: annas.conversationId, team_id: general, assigned_agent_id: anna.agentId },
    ]);
    const lines = await db
      .selectFrom('conversation_history')
      .select(['kind', 'assigned_agent_id'])
      .where('conversation_id', '=', brunos.conversationId)
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(lines).toEqual([{ kind: 'assignment', assigned_agent_id: null }]);
    const seen = await device.call('GET', `/v1/conversations/${brunos.conversationId}`, undefined, bruno.session.accessToken);
    expect(seen.status).toBe(404);
  });
});
