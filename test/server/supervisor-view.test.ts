/**
 * The supervisor view over a listening server with the sandbox (GET /v1/supervision/teams): each
 * team the caller supervises, and no other, with its queue's length and oldest waiting time and
 * each member's open conversations against capacity and whether they are online; agents and an
 * admin who supervises nothing are refused. The conversations themselves carry who holds them and,
 * while they wait in the queue, since when: the beginning, or the history line that put them back.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../common/api/inbox.js';
import type { SupervisorOverview } from '../../common/api/supervision.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await runEvery(cleanups.splice(0).reverse());
});

const CLI = { name: 'cli:it', agentId: null, sourceAddress: null };

describe('the supervisor view', () => {
  it('shows the supervised teams’ queues and members’ load and presence, to their supervisors only', async () => {
    const t = await startTestServer();
    cleanups.push(() => t.close());
    const { db } = t.server.database;
    const device = await approvedDevice(t);
    const vendite = await t.server.identity.teams.create({ name: 'Vendite' }, CLI);
    const anna = await enrolledAgent(t, device, 'anna');
    const bruno = await enrolledAgent(t, device, 'bruno');
    const sara = await enrolledAgent(t, device, 'sara', 'supervisor');
    const carla = await enrolledAgent(t, device, 'carla', 'agent', [vendite.id]);
    const vito = await enrolledAgent(t, device, 'vito', 'supervisor', [vendite.id]);
    const irene = await enrolledAgent(t, device, 'irene', 'admin');
    await t.server.identity.teams.setCapacity(1, bruno.agentId, 3, CLI);
    // Room for one: once she has answered the first customer and connects, routing gives her no more, so the second waits.
    await t.server.identity.teams.setCapacity(1, anna.agentId, 1, CLI);

    const first = await customerWrites(t, customer(t, 0), 'Where is my parcel?');
    const second = await customerWrites(t, customer(t, 1), 'Can I change my address?');
    const third = await customerWrites(t, customer(t, 2), 'Avete il modello rosso?');
    await t.server.committer.submit((trx) => trx.updateTable('conversations').set({ team_id: vendite.id }).where('id', '=', third.conversationId).execute());
    const created = async (id: number) => (await db.selectFrom('conversations').select('created_at').where('id', '=', id).executeTakeFirstOrThrow()).created_at;

    const overview = async (who: typeof sara) => device.call<SupervisorOverview>('GET', '/v1/supervision/teams', undefined, who.session.accessToken);
    const conversation = async (id: number, who = sara) =>
      (await device.call<ConversationSummary>('GET', `/v1/conversations/${id}`, undefined, who.session.accessToken)).body;

    const seen = await overview(sara);
    expect(seen.status).toBe(200);
    expect(seen.body.teams).toEqual([
      {
        teamId: 1,
        name: 'General',
        queueLength: 2,
        oldestQueuedSince: await created(first.conversationId),
        members: [
          { agentId: anna.agentId, displayName: 'Anna', open: 0, capacity: 1, online: false },
          { agentId: bruno.agentId, displayName: 'Bruno', open: 0, capacity: 3, online: false },
        ],
      },
    ]);
    expect((await overview(vito)).body.teams).toEqual([
      {
        teamId: vendite.id,
        name: 'Vendite',
        queueLength: 1,
        oldestQueuedSince: await created(third.conversationId),
        members: [{ agentId: carla.agentId, displayName: 'Carla', open: 0, capacity: 10, online: false }],
      },
    ]);
    expect(await conversation(first.conversationId)).toMatchObject({ assignee: null, queuedSince: await created(first.conversationId) });

    // Anna answers the first customer: it is hers, out of the queue, and counts against her capacity; she connects.
    const sent = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: first.conversationId, kind: 'text', text: 'On it' },
      anna.session.accessToken,
    );
    expect(sent.status).toBe(201);
    const socket = await openEventSocket(t, device, anna.session.accessToken, 0);
    cleanups.push(() => socket.close());
    const general = async () => (await overview(sara)).body.teams[0];
    await eventually(async () => ((await general())?.members[0]?.online === true ? true : undefined), 10_000);
    expect(await general()).toMatchObject({
      queueLength: 1,
      oldestQueuedSince: await created(second.conversationId),
      members: [
        { agentId: anna.agentId, open: 1, online: true },
        { agentId: bruno.agentId, open: 0, online: false },
      ],
    });
    expect(await conversation(first.conversationId)).toMatchObject({ assignee: { agentId: anna.agentId, name: 'Anna' }, queuedSince: null });

    // Anna leaves the team: her conversation goes back to the queue, waiting since then (its history line), not since it began.
    await t.server.identity.teams.removeMember(1, anna.agentId, CLI);
    const requeuedAt = (
      await db
        .selectFrom('conversation_history')
        .select('at')
        .where('conversation_id', '=', first.conversationId)
        .where('kind', '=', 'assignment')
        .where('assigned_agent_id', 'is', null)
        .executeTakeFirstOrThrow()
    ).at;
    expect(requeuedAt).toBeGreaterThanOrEqual(await created(second.conversationId));
    expect(await conversation(first.conversationId)).toMatchObject({ assignee: null, queuedSince: requeuedAt });
    expect(await general()).toMatchObject({ queueLength: 2, oldestQueuedSince: await created(second.conversationId), members: [{ agentId: bruno.agentId }] });

    // A pending conversation waits for the customer, not in the queue.
    await device.call('POST', `/v1/conversations/${second.conversationId}/state`, { state: 'pending' }, sara.session.accessToken);
    expect(await conversation(second.conversationId)).toMatchObject({ state: 'pending', queuedSince: null });
    expect(await general()).toMatchObject({ queueLength: 1, oldestQueuedSince: requeuedAt });

    // Agents and an admin who supervises nothing are refused.
    for (const who of [anna, carla, irene]) expect(await overview(who)).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
  }, 60_000);
});
