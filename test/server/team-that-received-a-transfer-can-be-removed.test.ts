/**
 * A team that a conversation was ever transferred into could not be removed: the transfer's
 * history line referenced it (migration 0019's foreign key) and the delete failed with a
 * constraint error, whatever the admin chose. Now the line keeps the team's name (migration 0026)
 * and lets go of the row: the team is removed, its conversations move, and the history still
 * says where the conversation went, the team named as it was.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let sara: EnrolledAgent;
let general: number;
let vendite: number;
let conversationId: number;

beforeAll(async () => {
  t = await startTestServer();
  desk = await approvedDevice(t);
  general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  vendite = (await t.server.identity.teams.create({ name: 'Vendite' }, IT)).id;
  sara = await enrolledAgent(t, desk, 'sara', 'supervisor', [general, vendite]);
  ({ conversationId } = await customerWrites(t, customer(t, 0), 'Vorrei un preventivo'));
  const reply = await desk.call(
    'POST',
    '/v1/messages',
    { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Eccomi' },
    sara.session.accessToken,
  );
  expect(reply.status).toBe(201);
  const moved = await desk.call('POST', `/v1/conversations/${conversationId}/transfer`, { teamId: vendite, note: 'Per le vendite' }, sara.session.accessToken);
  expect(moved.status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

const history = async () =>
  (await desk.call<{ items: ConversationHistoryEntry[] }>('GET', `/v1/conversations/${conversationId}/history`, undefined, sara.session.accessToken)).body
    .items;

describe('a team a conversation was transferred into', () => {
  it('is named by the transfer’s history line', async () => {
    expect((await history()).find((entry) => entry.team !== null)?.team).toEqual({ teamId: vendite, name: 'Vendite' });
  });

  it('can be removed, its conversations moved, and the line still names it as it was', async () => {
    const removed = await t.server.identity.teams.remove(vendite, { moveConversationsTo: general }, IT);
    expect(removed).toEqual({ removed: vendite, movedConversations: 1, movedTo: general });
    expect((await t.server.identity.teams.list()).teams.map((team) => team.name)).not.toContain('Vendite');
    const row = await t.server.database.db.selectFrom('conversations').select('team_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(row.team_id).toBe(general);
    expect((await history()).find((entry) => entry.team !== null)?.team).toEqual({ teamId: null, name: 'Vendite' });
  });
});
