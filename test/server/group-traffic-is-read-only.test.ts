/**
 * No customer groups (issue 13), over a listening server with the sandbox: a WhatsApp group's
 * message (the Cloud API's groups webhook: `messages[].group_id`) is kept under a contact that
 * stands for the group (no number), in a conversation nobody is given, even with an agent online
 * with room, counted unread by no one; every send into it is refused `group_recipient_refused`
 * (409), counted and audited, and nothing reaches the sandbox's Graph: no message, no read
 * receipt. A message whose group id cannot be read is quarantined, never
 * taken for a person's.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../common/api/inbox.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { customer } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const GROUP_ID = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';

let t: TestServer;
let device: TestDevice;
let anna: EnrolledAgent;
let feed: EventSocket;

beforeAll(async () => {
  t = await startTestServer({ customers: 2 });
  device = await approvedDevice(t, 'group-desk');
  anna = await enrolledAgent(t, device, 'anna', 'agent');
  // Online, available, with room: a customer's conversation would be hers at once.
  feed = await openEventSocket(t, device, anna.session.accessToken);
}, 60_000);

afterAll(async () => {
  feed?.close();
  await t?.close();
});

const db = () => t.server.database.db;
const call = <T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown) => device.call<T>(method, path, body, anna.session.accessToken);

/** A message written in the group by customer `index`, as the Cloud API's groups webhook carries it. */
async function groupWrites(index: number, text: string, groupId: unknown = GROUP_ID): Promise<{ wamid: string; status: number }> {
  const business = t.sandbox.businesses[0];
  if (business === undefined) throw new Error('the sandbox has no number');
  const { wamid, body } = inboundMessageWebhook(business, customer(t, index), { type: 'text', text: { body: text }, group_id: groupId } as never);
  return { wamid, status: (await t.postWebhook(body)).status };
}

async function groupConversation(wamid: string) {
  const message = await db().selectFrom('messages').select('conversation_id').where('wamid', '=', wamid).executeTakeFirstOrThrow();
  return db()
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select([
      'conversations.id',
      'conversations.assigned_agent_id',
      'conversations.unread_count',
      'conversations.last_inbound_at',
      'contacts.group_id',
      'contacts.wa_id',
    ])
    .where('conversations.id', '=', message.conversation_id)
    .executeTakeFirstOrThrow();
}

describe('group traffic', () => {
  it('is kept under the group, read-only: given to nobody, unread for nobody, shown as a group', async () => {
    const first = await groupWrites(0, 'Ciao a tutti');
    const second = await groupWrites(1, 'Anche io ho una domanda');
    expect([first.status, second.status]).toEqual([200, 200]);
    const conversation = await groupConversation(first.wamid);
    expect((await groupConversation(second.wamid)).id).toBe(conversation.id);
    expect(conversation).toMatchObject({ assigned_agent_id: null, unread_count: 0, last_inbound_at: null, group_id: GROUP_ID, wa_id: null });
    // The writers are not made customers of their own: no conversation of theirs exists.
    expect(
      await db()
        .selectFrom('contacts')
        .select('id')
        .where('wa_id', 'in', [customer(t, 0).waId, customer(t, 1).waId])
        .execute(),
    ).toEqual([]);
    const shown = await call<ConversationSummary>('GET', `/v1/conversations/${conversation.id}`);
    // Waiting in the team's queue, where the members read it; routing never takes it from there.
    expect(shown.status).toBe(200);
    expect(shown.body.customer).toMatchObject({ group: true, phone: null });
    const event = await feed.next((item) => item.type === 'message' && item.conversation.id === conversation.id, 10_000);
    expect(event).toMatchObject({ conversation: { customer: { group: true }, assignedAgentId: null } });
  });

  it('refuses every send into it before anything reaches Graph, and counts and audits each refusal', async () => {
    const { wamid } = await groupWrites(0, 'Rispondete?');
    const { id } = await groupConversation(wamid);
    const graphBefore = t.sandbox.graph.callCount;
    const auditBefore = await db().selectFrom('audit_log').select('id').where('event', '=', 'safety.groups.refused').execute();
    for (const body of [
      { kind: 'text', text: 'Buongiorno' },
      { kind: 'template', name: 'hello_world', languageCode: 'it', components: [] },
    ]) {
      const answer = await call('POST', '/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId: id, ...body });
      expect(answer, JSON.stringify(body)).toMatchObject({ status: 409, body: { error: { code: 'group_recipient_refused' } } });
    }
    expect(await db().selectFrom('messages').select('id').where('conversation_id', '=', id).where('direction', '=', 'outbound').execute()).toEqual([]);
    const audit = await db().selectFrom('audit_log').selectAll().where('event', '=', 'safety.groups.refused').orderBy('id').execute();
    expect(audit.length - auditBefore.length).toBe(2);
    expect(JSON.parse(audit[audit.length - 1]?.details_json ?? '{}')).toEqual({ conversationId: id });
    // Read here, not on WhatsApp: no read receipt goes into the group.
    expect(await call('POST', `/v1/conversations/${id}/read`, {})).toMatchObject({ status: 200 });
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.callCount).toBe(graphBefore);
    const metrics = await (await fetch(`${t.server.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('sportello_safety_actions_total{rule="groups",action="refused"} 2');
  });

  it('quarantines a message whose group id cannot be read, and files nothing under a person', async () => {
    const quarantinedBefore = (await db().selectFrom('webhook_quarantine').select('id').execute()).length;
    const { wamid, status } = await groupWrites(1, 'Gruppo strano', { id: 42 });
    expect(status).toBe(200);
    expect(await db().selectFrom('messages').select('id').where('wamid', '=', wamid).execute()).toEqual([]);
    const quarantined = await db().selectFrom('webhook_quarantine').selectAll().execute();
    expect(quarantined.length).toBe(quarantinedBefore + 1);
    expect(quarantined[quarantined.length - 1]?.reason).toBe('group message with an unreadable group_id');
  });
});
