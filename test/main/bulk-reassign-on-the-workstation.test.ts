/**
 * A supervisor's bulk reassignment through their workstation (a real client core over a listening
 * server): what a member holds comes from the server (listMemberConversations), the move goes in
 * one call, and the receiver's workstation holds the conversations at once. A refusal crosses the
 * IPC boundary naming the conversations it is about (`conversationIds`), so the screen can say
 * which; nothing moved. An agent's workstation refuses the supervisor's calls itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BulkReassigned } from '../../common/api/handover.js';
import type { ConversationPage } from '../../common/api/inbox.js';
import type { MemberConversations } from '../../common/api/supervision.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a bulk reassignment from the supervisor’s workstation', () => {
  it('lists what a member holds, moves it in one call to a colleague who has it at once, and names what a refusal is about', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    const teams = t.server.identity.teams;
    const general = (await teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    const vendite = (await teams.create({ name: 'Vendite' }, IT)).id;
    // Anna is off sick: she holds three conversations and has no workstation open.
    const desk = await approvedDevice(t, 'anna-desk');
    const anna = await enrolledAgent(t, desk, 'anna', 'agent', [general, vendite]);
    const sara = await startCoreBehindProxy(t, cleanups);
    await pairAndEnroll(t, sara.call, sara.waitFor, 'sara', 'supervisor', { displayName: 'Sara', teamIds: [general] });
    await sara.untilFirstLoad();
    const marco = await startCoreBehindProxy(t, cleanups);
    const marcoId = (await pairAndEnroll(t, marco.call, marco.waitFor, 'marco', 'agent', { displayName: 'Marco', teamIds: [general], capacity: 0 })).agentId;
    await marco.untilFirstLoad();

    const ids: number[] = [];
    for (const index of [0, 1, 2]) ids.push((await customerWrites(t, customer(t, index), `Richiesta ${index}`)).conversationId);
    expect(await sara.call<BulkReassigned>('bulkReassign', { conversationIds: ids, agentId: anna.agentId })).toEqual({ moved: ids, unchanged: [] });
    const held = await sara.call<MemberConversations>('listMemberConversations', { teamId: general, agentId: anna.agentId });
    expect(held.items.map((item) => item.id)).toEqual([...ids].reverse());
    expect(held.total).toBe(3);

    // Anna moves one to Vendite, which Sara does not supervise; Sara's list, read before, still names it.
    const [first, second, third] = ids as [number, number, number];
    expect((await desk.call('POST', `/v1/conversations/${third}/transfer`, { agentId: anna.agentId, teamId: vendite }, anna.session.accessToken)).status).toBe(
      200,
    );
    const refused = await dispatchIpc(sara.core, 'bulkReassign', { conversationIds: ids, agentId: marcoId, note: 'Anna è in malattia' });
    expect(refused).toEqual({ ok: false, code: 'bulk_reassign_not_found', message: expect.any(String) as string, conversationIds: [third] });
    const heldNow = async () =>
      (await t.server.database.db.selectFrom('conversations').select('assigned_agent_id').where('id', 'in', ids).orderBy('id').execute()).map(
        (row) => row.assigned_agent_id,
      );
    expect(await heldNow()).toEqual([anna.agentId, anna.agentId, anna.agentId]);

    // Without it, the other two go to Marco, with the note: his workstation lists them at once.
    expect(await sara.call<BulkReassigned>('bulkReassign', { conversationIds: [first, second], agentId: marcoId, note: 'Anna è in malattia' })).toEqual({
      moved: [first, second],
      unchanged: [],
    });
    await eventually(
      async () => {
        const mine = await marco.call<ConversationPage>('listConversations', { filter: 'mine' });
        return mine.items
          .map((item) => item.id)
          .sort((a, b) => a - b)
          .join() === [first, second].join()
          ? true
          : undefined;
      },
      15_000,
      'Marco’s workstation lists both',
    );
    expect((await sara.call<MemberConversations>('listMemberConversations', { teamId: general, agentId: anna.agentId })).total).toBe(0);

    // A refusal that names nothing has no conversationIds; Marco's workstation refuses him the supervisor's calls without asking.
    expect(await dispatchIpc(sara.core, 'listMemberConversations', { teamId: vendite, agentId: anna.agentId })).toEqual({
      ok: false,
      code: 'team_not_found',
      message: expect.any(String) as string,
    });
    expect(await dispatchIpc(marco.core, 'listMemberConversations', { teamId: general, agentId: anna.agentId })).toMatchObject({
      ok: false,
      code: 'forbidden_role',
    });
    expect(await dispatchIpc(sara.core, 'listMemberConversations', { teamId: general })).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(await dispatchIpc(sara.core, 'listMemberConversations', { teamId: general, agentId: 1, extra: true })).toMatchObject({
      ok: false,
      code: 'invalid_request',
    });
  }, 90_000);
});
