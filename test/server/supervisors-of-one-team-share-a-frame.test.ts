/**
 * Regression: once each view named its agent (what is assigned to them is theirs alone), two
 * supervisors of the same team had two views, and the feed serialized every read once for each of
 * them: twenty supervisors, twenty serializations of the same events (bench:fanout's server CPU
 * rose by a quarter). A read's frames are now shared by the events they hold: the supervisors get
 * one frame (the same bytes, built once), an agent who sees less gets one of their own, and an
 * admin who reads no conversation gets none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFeedBatch } from '../../server/events/feed-batch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const viewerOf = (agent: EnrolledAgent) => ({ agentId: agent.agentId, roles: agent.session.agent.roles, ...agent.session.teams });

describe('a read of the feed', () => {
  it('is serialized once for the supervisors of one team, whose views differ only by their own assignments', async () => {
    t = await startTestServer({ customers: 4 });
    const device = await approvedDevice(t);
    const chief = await enrolledAgent(t, device, 'chief', 'supervisor');
    const deputy = await enrolledAgent(t, device, 'deputy', 'supervisor');
    const anna = await enrolledAgent(t, device, 'anna');
    const bruno = await enrolledAgent(t, device, 'bruno');
    const admin = await enrolledAgent(t, device, 'dario', 'admin');
    for (let index = 0; index < 4; index += 1) await customerWrites(t, customer(t, index), `Messaggio ${index}`);
    // Anna takes one: the supervisors see it, and so does she; the other agents' queue loses it.
    const taken = (await t.server.database.db.selectFrom('conversations').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    await t.server.committer.submit((trx) =>
      trx.updateTable('conversations').set({ assigned_agent_id: anna.agentId, assigned_at: Date.now() }).where('id', '=', taken).execute(),
    );
    await t.server.database.feedSequencer.stamp();

    const batch = await readFeedBatch(t.server.database.db, { inbox: t.server.views, notes: t.server.notes }, 0, 500);
    if (batch === undefined) throw new Error('the feed holds nothing');
    const chiefs = batch.frameFor(viewerOf(chief));
    const deputys = batch.frameFor(viewerOf(deputy));
    expect(chiefs).toBeDefined();
    // One buffer, not two equal ones: serialized once.
    expect(deputys).toBe(chiefs);
    // Anna sees all of it too (her own and the team's queue): the same frame.
    expect(batch.frameFor(viewerOf(anna))).toBe(chiefs);
    // Bruno does not see Anna's: a frame of his own, without it.
    const brunos = batch.frameFor(viewerOf(bruno));
    expect(brunos).toBeDefined();
    expect(brunos?.equals(chiefs ?? Buffer.alloc(0))).toBe(false);
    expect((JSON.parse(brunos?.toString('utf8') ?? '[]') as Array<{ conversation?: { id: number } }>).some((event) => event.conversation?.id === taken)).toBe(
      false,
    );
    expect(batch.frameFor(viewerOf(admin))).toBeUndefined();
  });
});
