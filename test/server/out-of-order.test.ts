/**
 * Meta delivers out of order and more than once: statuses only move forward, edits and
 * revocations find their message even when they come first, reactions keep the latest, and
 * customers stay one contact when their number or user id shows up alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyRecordedStatuses, STATUS_RANK } from '../../server/inbox/message-status.js';
import { inboundMessageWebhook, statusWebhook } from '../../server/sandbox/webhook-builder.js';
import type { SandboxCustomer } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { messageByWamid } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function outboundWithWamid(s: TestServer, wamid: string): Promise<number> {
  const { conversationId } = await customerWrites(s, customer(s));
  return s.server.committer.submit(async (trx) => {
    const row = await trx
      .insertInto('messages')
      .values({
        wamid,
        conversation_id: conversationId,
        direction: 'outbound',
        origin: 'agent',
        type: 'text',
        content_json: '{"type":"text","body":"hi"}',
        meta_json: null,
        context_wamid: null,
        amends_wamid: null,
        media_id: null,
        sent_at: 1,
        received_at: 1,
        status: 'accepted',
        status_rank: STATUS_RANK.accepted,
        status_at: 1,
        error_code: null,
        error_title: null,
        error_reason: null,
        idempotency_key: null,
        request_hash: null,
        next_attempt_at: null,
        edited_at: null,
        deleted_at: null,
        raw_json: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

function status(s: TestServer, wamid: string, value: 'sent' | 'delivered' | 'read' | 'failed') {
  const c = customer(s);
  return statusWebhook(
    s.sandbox.business,
    { waId: c.waId, userId: c.userId },
    wamid,
    value,
    value === 'failed' ? { error: { code: 131026, title: 'Message undeliverable', details: 'Not on WhatsApp' } } : {},
  );
}

function inbound(
  s: TestServer,
  c: SandboxCustomer,
  payload: Parameters<typeof inboundMessageWebhook>[2],
  options: Parameters<typeof inboundMessageWebhook>[3] = {},
) {
  return inboundMessageWebhook(s.sandbox.business, c, payload, options);
}

describe('out-of-order and repeated deliveries', () => {
  it('never steps a status back: read, then a late delivered and sent, stays read', async () => {
    const s = (t = await startTestServer());
    await outboundWithWamid(s, 'wamid.A');
    for (const value of ['read', 'delivered', 'sent', 'delivered'] as const) expect((await s.postWebhook(status(s, 'wamid.A', value))).status).toBe(200);
    expect(await messageByWamid(s.server.database.db, 'wamid.A')).toMatchObject({ status: 'read', status_rank: STATUS_RANK.read });
    const statuses = await s.server.database.db.selectFrom('message_statuses').select('status').where('wamid', '=', 'wamid.A').execute();
    expect(statuses).toHaveLength(3);
  });

  it('keeps failed final, and lets failed override an earlier state', async () => {
    const s = (t = await startTestServer());
    await outboundWithWamid(s, 'wamid.F');
    await s.postWebhook(status(s, 'wamid.F', 'sent'));
    await s.postWebhook(status(s, 'wamid.F', 'failed'));
    await s.postWebhook(status(s, 'wamid.F', 'delivered'));
    await s.postWebhook(status(s, 'wamid.F', 'read'));
    expect(await messageByWamid(s.server.database.db, 'wamid.F')).toMatchObject({
      status: 'failed',
      error_code: 'meta_131026',
      error_reason: 'Not on WhatsApp',
    });
  });

  it('applies statuses that arrived before the send recorded its wamid', async () => {
    const s = (t = await startTestServer());
    const id = await outboundWithWamid(s, 'wamid.placeholder');
    await s.postWebhook(status(s, 'wamid.EARLY', 'delivered'));
    await s.server.committer.submit(async (trx) => {
      await trx.updateTable('messages').set({ wamid: 'wamid.EARLY' }).where('id', '=', id).execute();
      await applyRecordedStatuses(trx, 'wamid.EARLY');
    });
    expect(await messageByWamid(s.server.database.db, 'wamid.EARLY')).toMatchObject({ status: 'delivered' });
  });

  it('applies an edit and a revocation that arrive before the message they change', async () => {
    const s = (t = await startTestServer());
    const c = customer(s);
    const original = inbound(s, c, { type: 'text', text: { body: 'I ordered the wrong size' } }, { wamid: 'wamid.ORIG', timestampMs: 1_700_000_000_000 });
    const edit = JSON.parse(inbound(s, c, { type: 'text', text: { body: 'x' } }, { wamid: 'wamid.EDIT', timestampMs: 1_700_000_060_000 }).body) as {
      entry: [{ changes: [{ value: { messages: [Record<string, unknown>] } }] }];
    };
    const editMessage = edit.entry[0].changes[0].value.messages[0];
    delete editMessage.text;
    Object.assign(editMessage, {
      type: 'edit',
      edit: { original_message_id: 'wamid.ORIG', message: { type: 'text', text: { body: 'I ordered the wrong colour' } } },
    });
    expect((await s.postWebhook(JSON.stringify(edit))).status).toBe(200);
    expect((await s.postWebhook(original.body)).status).toBe(200);
    const edited = await messageByWamid(s.server.database.db, 'wamid.ORIG');
    expect(JSON.parse(edited?.content_json ?? '{}')).toEqual({ type: 'text', body: 'I ordered the wrong colour' });
    expect(edited?.edited_at).toBe(1_700_000_060_000);

    const revoke = inbound(s, c, { type: 'text', text: { body: 'x' } }, { wamid: 'wamid.REV', timestampMs: 1_700_000_120_000 });
    const revokeBody = JSON.parse(revoke.body) as typeof edit;
    const revokeMessage = revokeBody.entry[0].changes[0].value.messages[0];
    delete revokeMessage.text;
    Object.assign(revokeMessage, { type: 'revoke', revoke: { original_message_id: 'wamid.LATER' } });
    await s.postWebhook(JSON.stringify(revokeBody));
    await s.postWebhook(inbound(s, c, { type: 'text', text: { body: 'oops, wrong chat' } }, { wamid: 'wamid.LATER', timestampMs: 1_700_000_100_000 }).body);
    expect((await messageByWamid(s.server.database.db, 'wamid.LATER'))?.deleted_at).toBe(1_700_000_120_000);
  });

  it('ignores an older edit that arrives after a newer one', async () => {
    const s = (t = await startTestServer());
    const c = customer(s);
    await s.postWebhook(inbound(s, c, { type: 'text', text: { body: 'v1' } }, { wamid: 'wamid.V', timestampMs: 1_000_000 }).body);
    for (const [wamid, body, at] of [
      ['wamid.E2', 'v3', 3_000_000],
      ['wamid.E1', 'v2', 2_000_000],
    ] as const) {
      const payload = JSON.parse(inbound(s, c, { type: 'text', text: { body: 'x' } }, { wamid, timestampMs: at }).body) as {
        entry: [{ changes: [{ value: { messages: [Record<string, unknown>] } }] }];
      };
      const message = payload.entry[0].changes[0].value.messages[0];
      delete message.text;
      Object.assign(message, { type: 'edit', edit: { original_message_id: 'wamid.V', message: { type: 'text', text: { body } } } });
      await s.postWebhook(JSON.stringify(payload));
    }
    expect(JSON.parse((await messageByWamid(s.server.database.db, 'wamid.V'))?.content_json ?? '{}')).toEqual({ type: 'text', body: 'v3' });
  });

  it('keeps the latest reaction whatever order they come in', async () => {
    const s = (t = await startTestServer());
    const c = customer(s);
    await s.postWebhook(
      inbound(s, c, { type: 'reaction', reaction: { message_id: 'wamid.T', emoji: '' } }, { wamid: 'wamid.R2', timestampMs: 2_000_000 }).body,
    );
    await s.postWebhook(
      inbound(s, c, { type: 'reaction', reaction: { message_id: 'wamid.T', emoji: '❤️' } }, { wamid: 'wamid.R1', timestampMs: 1_000_000 }).body,
    );
    expect(await s.server.database.db.selectFrom('reactions').selectAll().execute()).toEqual([
      expect.objectContaining({ target_wamid: 'wamid.T', actor: 'customer', emoji: null, source_wamid: 'wamid.R2' }),
    ]);
  });

  it('opens the 24-hour window from the customer’s newest message, never from an old redelivery', async () => {
    const s = (t = await startTestServer());
    const c = customer(s);
    await s.postWebhook(inbound(s, c, { type: 'text', text: { body: 'new' } }, { timestampMs: 2_000_000_000_000 }).body);
    await s.postWebhook(inbound(s, c, { type: 'text', text: { body: 'old, delivered late' } }, { timestampMs: 1_000_000_000_000 }).body);
    const conversation = await s.server.database.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    expect(conversation.last_inbound_at).toBe(2_000_000_000_000);
    expect(conversation.unread_count).toBe(2);
    const latest = await s.server.database.db.selectFrom('messages').select('id').where('sent_at', '=', 2_000_000_000_000).executeTakeFirstOrThrow();
    expect(conversation.last_message_id).toBe(latest.id);
  });

  it('keys a customer on number and user id: one contact whichever arrives alone', async () => {
    const s = (t = await startTestServer());
    const c = customer(s);
    const onlyUserId = JSON.parse(inbound(s, c, { type: 'text', text: { body: 'a' } }).body) as {
      entry: [{ changes: [{ value: { contacts: [Record<string, unknown>]; messages: [Record<string, unknown>] } }] }];
    };
    delete onlyUserId.entry[0].changes[0].value.contacts[0].wa_id;
    delete onlyUserId.entry[0].changes[0].value.messages[0].from;
    await s.postWebhook(JSON.stringify(onlyUserId));
    await s.postWebhook(inbound(s, c, { type: 'text', text: { body: 'b' } }).body);
    const contacts = await s.server.database.db.selectFrom('contacts').selectAll().execute();
    expect(contacts).toEqual([expect.objectContaining({ wa_id: c.waId, user_id: c.userId })]);
    expect(await s.server.database.db.selectFrom('conversations').selectAll().execute()).toHaveLength(1);
  });

  it('moves a recycled number to its new owner: same number, another user id, another person', async () => {
    const s = (t = await startTestServer());
    const previousOwner = customer(s);
    const newOwner: SandboxCustomer = { ...previousOwner, userId: 'IT.someone-else', name: 'Another Person' };
    await s.postWebhook(inbound(s, previousOwner, { type: 'text', text: { body: 'mine' } }).body);
    await s.postWebhook(inbound(s, newOwner, { type: 'text', text: { body: 'now mine' } }).body);
    const contacts = await s.server.database.db.selectFrom('contacts').select(['wa_id', 'user_id', 'profile_name']).orderBy('id').execute();
    expect(contacts).toEqual([
      { wa_id: null, user_id: previousOwner.userId, profile_name: previousOwner.name },
      { wa_id: previousOwner.waId, user_id: 'IT.someone-else', profile_name: 'Another Person' },
    ]);
    expect(await s.server.database.db.selectFrom('conversations').selectAll().execute()).toHaveLength(2);
  });
});
