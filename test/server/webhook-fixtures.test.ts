/**
 * Every real webhook body in ../shared/fixtures/cloud-api/webhooks goes through the real endpoint
 * of a listening server, signed: 200, the rows its case calls for, and nothing new on redelivery.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageContent, MessageMeta } from '../../common/messages/message-content.js';
import { STATUS_RANK } from '../../server/inbox/message-status.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { readWebhookFixture, webhookFixtureNames } from '../helpers/fixtures.js';
import { messageByWamid, rowCounts } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

type Db = Kysely<InboxDatabase>;

async function onlyMessage(db: Db) {
  const rows = await db.selectFrom('messages').selectAll().execute();
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  return {
    row,
    content: JSON.parse(row.content_json) as MessageContent,
    meta: row.meta_json === null ? undefined : (JSON.parse(row.meta_json) as MessageMeta),
  };
}

async function contactOf(db: Db, conversationId: number) {
  return db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .selectAll('contacts')
    .select(['conversations.business_phone_number_id', 'conversations.last_inbound_at', 'conversations.unread_count', 'conversations.last_message_id'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirstOrThrow();
}

async function expectInbound(db: Db, expected: Partial<MessageContent> & { type: string }, meta?: MessageMeta) {
  const message = await onlyMessage(db);
  expect(message.row.direction).toBe('inbound');
  expect(message.row.origin).toBe('customer');
  expect(message.row.status).toBe('received');
  expect(message.content).toMatchObject(expected);
  if (meta !== undefined) expect(message.meta).toMatchObject(meta);
  return message;
}

async function expectPendingMedia(db: Db, graphMediaId: string, kind: string, mimeType: string) {
  const media = await db.selectFrom('media').selectAll().execute();
  expect(media).toHaveLength(1);
  expect(media[0]).toMatchObject({ direction: 'inbound', graph_media_id: graphMediaId, kind, mime_type: mimeType });
  // The sandbox does not know the fixture's media id: the download fails, visibly, never silently.
  expect(['pending', 'failed']).toContain(media[0]?.state);
  const message = await onlyMessage(db);
  expect(message.row.media_id).toBe(media[0]?.id);
}

async function expectBusinessEvent(db: Db, field: string, kind: string) {
  const events = await db.selectFrom('business_events').selectAll().execute();
  expect(events.length).toBeGreaterThanOrEqual(1);
  expect(events.some((event) => event.field === field && event.kind === kind)).toBe(true);
  expect(await db.selectFrom('messages').selectAll().execute()).toHaveLength(0);
}

/** Statuses refer to a message we sent: seed it, so the status can be seen to apply. */
async function seedOutbound(t: TestServer, wamid: string): Promise<number> {
  return t.server.committer.submit(async (trx) => {
    const now = Date.now();
    const contact = await trx
      .insertInto('contacts')
      .values({
        wa_id: '972987654321',
        user_id: null,
        parent_user_id: null,
        profile_name: null,
        username: null,
        marketing_preference: null,
        marketing_preference_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const conversation = await trx
      .insertInto('conversations')
      .values({
        contact_id: contact.id,
        business_phone_number_id: '1122334455667',
        last_inbound_at: now,
        last_message_at: now,
        last_message_id: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const message = await trx
      .insertInto('messages')
      .values({
        wamid,
        conversation_id: conversation.id,
        direction: 'outbound',
        origin: 'agent',
        type: 'text',
        content_json: JSON.stringify({ type: 'text', body: 'Hello' }),
        meta_json: null,
        context_wamid: null,
        amends_wamid: null,
        media_id: null,
        sent_at: now,
        received_at: now,
        status: 'accepted',
        status_rank: STATUS_RANK.accepted,
        status_at: now,
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
    return message.id;
  });
}

interface Case {
  /** Runs before the body is posted. */
  readonly seed?: (t: TestServer) => Promise<unknown>;
  readonly check: (db: Db, t: TestServer) => Promise<void>;
}

const statusCase = (wamid: string, status: string): Case => ({
  seed: (t) => seedOutbound(t, wamid),
  check: async (db) => {
    const statuses = await db.selectFrom('message_statuses').selectAll().execute();
    expect(statuses).toEqual([expect.objectContaining({ wamid, status })]);
    const message = await messageByWamid(db, wamid);
    expect(message?.status).toBe(status);
  },
});

const CASES: Record<string, Case> = {
  'meta_docs__inbound_text.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'text', body: 'Does it come in another color?' });
      expect(row.wamid).toBe('wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=');
      expect(row.sent_at).toBe(1749416383000);
      const contact = await contactOf(db, row.conversation_id);
      expect(contact).toMatchObject({
        wa_id: '16505551234',
        profile_name: 'Sheena Nelson',
        business_phone_number_id: '106540352242922',
        last_inbound_at: 1749416383000,
        unread_count: 1,
        last_message_id: row.id,
      });
    },
  },
  'pywa__account_update_restriction.json': { check: (db) => expectBusinessEvent(db, 'account_update', 'account_update') },
  'pywa__account_update_violation.json': { check: (db) => expectBusinessEvent(db, 'account_update', 'account_update') },
  'pywa__echo_outgoing_delete.json': {
    check: async (db) => {
      const { row, content } = await onlyMessage(db);
      expect(row).toMatchObject({ direction: 'outbound', origin: 'business_app', type: 'revoke', amends_wamid: 'wamid.zzzzzz', status: 'sent' });
      expect(content).toEqual({ type: 'revoke', targetWamid: 'wamid.zzzzzz' });
      expect((await contactOf(db, row.conversation_id)).wa_id).toBe('972987654321');
    },
  },
  'pywa__echo_outgoing_edit.json': {
    check: async (db) => {
      const { row, content } = await onlyMessage(db);
      expect(row).toMatchObject({ direction: 'outbound', origin: 'business_app', type: 'edit', amends_wamid: 'wamid.zzzzzz' });
      expect(content).toEqual({ type: 'edit', targetWamid: 'wamid.zzzzzz', content: { type: 'text', body: 'Text was edited' } });
    },
  },
  'pywa__echo_outgoing_text.json': {
    check: async (db) => {
      const { row, content } = await onlyMessage(db);
      expect(row).toMatchObject({ direction: 'outbound', origin: 'business_app', status: 'sent', status_rank: STATUS_RANK.sent });
      expect(content).toEqual({ type: 'text', body: 'Test message' });
      const contact = await contactOf(db, row.conversation_id);
      expect(contact).toMatchObject({ wa_id: '<WHATSAPP_USER_PHONE_NUMBER>', user_id: '<BSUID>', last_inbound_at: null, unread_count: 0 });
    },
  },
  'pywa__error_value_errors_131000_interactive_no_body.json': {
    check: async (db) => {
      const { row, content } = await onlyMessage(db);
      expect(content).toEqual({ type: 'unsupported', originalType: 'interactive' });
      expect(row.context_wamid).toBe('wamid.gvwegfretge==');
      const events = await db.selectFrom('business_events').selectAll().execute();
      expect(events).toEqual([expect.objectContaining({ kind: 'value_error', phone_number_id: '1122334455667' })]);
      expect(events[0]?.payload_json).toContain('131000');
    },
  },
  'pywa__inbound_audio.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'audio', mimeType: 'audio/ogg; codecs=opus', voice: false }, { forwarded: true });
      await expectPendingMedia(db, '1234567890987654321', 'audio', 'audio/ogg; codecs=opus');
    },
  },
  'pywa__inbound_audio_voice.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'audio', voice: true });
      await expectPendingMedia(db, '1234567890987654321', 'audio', 'audio/ogg; codecs=opus');
    },
  },
  'pywa__inbound_button_template_quick_reply.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'button', text: 'title', payload: 'callback_data' });
      expect(row.context_wamid).toBe('wamid.xyzxyz==');
    },
  },
  'pywa__inbound_button_template_quick_reply_no_context.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'button', text: 'title' });
      expect(row.context_wamid).toBeNull();
      expect(await contactOf(db, row.conversation_id)).toMatchObject({
        wa_id: '972987654321',
        user_id: 'US.13491208655302741918',
        parent_user_id: 'US.ENT.11815799212886844830',
        profile_name: 'Test Name',
      });
    },
  },
  'pywa__inbound_contacts.json': {
    check: async (db) => {
      const { content } = await expectInbound(db, { type: 'contacts' });
      expect(content.type === 'contacts' && content.contacts.map((c) => c.formattedName)).toEqual(['Chandler Bing', 'Monica', 'Rachel Green']);
      expect(content.type === 'contacts' && content.contacts[0]?.phones).toEqual([{ phone: '+1 555-555-5555', waId: '972987654321', type: 'CELL' }]);
    },
  },
  'pywa__inbound_document.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'document', filename: 'filename.pdf', caption: 'caption', mimeType: 'application/pdf' }, { forwarded: true });
      await expectPendingMedia(db, '1234567890987654321', 'document', 'application/pdf');
    },
  },
  'pywa__inbound_edited_image.json': {
    check: async (db) => {
      const { row, content } = await expectInbound(db, { type: 'edit', targetWamid: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=' });
      expect(content.type === 'edit' && content.content).toMatchObject({ type: 'image', caption: 'Updated image caption', mimeType: 'image/jpeg' });
      expect(row.amends_wamid).toBe('wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=');
      // The sender is `from`; the profile in contacts[] is another number's and is not borrowed.
      expect(await contactOf(db, row.conversation_id)).toMatchObject({ wa_id: '16505551234', profile_name: null });
      await expectPendingMedia(db, '1234567890', 'image', 'image/jpeg');
    },
  },
  'pywa__inbound_image.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'image', mimeType: 'image/jpeg' });
      await expectPendingMedia(db, '65463453', 'image', 'image/jpeg');
    },
  },
  'pywa__inbound_image_with_url.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'image', mimeType: 'image/jpeg' });
      await expectPendingMedia(db, '65463453', 'image', 'image/jpeg');
    },
  },
  'pywa__inbound_interactive_button_reply.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'interactive_reply', replyType: 'button_reply', replyId: 'callback_data', title: 'title' });
    },
  },
  'pywa__inbound_interactive_list_reply.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'interactive_reply', replyType: 'list_reply', replyId: 'callback_data', title: 'title' });
    },
  },
  'pywa__inbound_interactive_list_reply_with_description.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'interactive_reply', replyType: 'list_reply', description: 'description' });
    },
  },
  'pywa__inbound_interactive_nfm_reply_flow.json': {
    check: async (db) => {
      const { content } = await expectInbound(db, { type: 'interactive_reply', replyType: 'nfm_reply', flowName: 'flow', body: 'Sent' });
      expect(content.type === 'interactive_reply' && JSON.parse(content.flowResponseJson ?? '{}')).toMatchObject({
        flow_token: 'AQAAAAACS5FpgQ_cAAAAAD0QI3s.',
        delivery_rating: '4',
      });
    },
  },
  'pywa__inbound_interactive_nfm_reply_flow_no_token.json': {
    check: async (db) => {
      const { content } = await expectInbound(db, { type: 'interactive_reply', replyType: 'nfm_reply' });
      expect(content.type === 'interactive_reply' && JSON.parse(content.flowResponseJson ?? '{}')).not.toHaveProperty('flow_token');
    },
  },
  'pywa__inbound_location_chosen.json': {
    check: async (db) => {
      await expectInbound(
        db,
        { type: 'location', latitude: 37.4611978, longitude: -122.2164385, name: 'Facebook HQ', address: '1 Hacker Way, Menlo Park, CA 94025' },
        { forwarded: true },
      );
    },
  },
  'pywa__inbound_location_current.json': {
    check: async (db) => {
      const { content } = await expectInbound(db, { type: 'location', latitude: 12.25089, longitude: 43.90539 });
      expect(content).not.toHaveProperty('name');
    },
  },
  'pywa__inbound_order.json': {
    check: async (db) => {
      const { content } = await expectInbound(db, { type: 'order', catalogId: '354160437058781' });
      expect(content.type === 'order' && content.items).toEqual([
        { productRetailerId: 'HAMBURGER', quantity: 3, itemPrice: 30, currency: 'ILS' },
        { productRetailerId: 'FRENCH_FRIES', quantity: 2, itemPrice: 35, currency: 'ILS' },
        { productRetailerId: 'SODA', quantity: 2, itemPrice: 10, currency: 'ILS' },
      ]);
    },
  },
  'pywa__inbound_reaction.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'reaction', targetWamid: 'wamid.yzxyzx=', emoji: '😮' });
      expect(await db.selectFrom('reactions').selectAll().execute()).toEqual([
        expect.objectContaining({ target_wamid: 'wamid.yzxyzx=', actor: 'customer', emoji: '😮' }),
      ]);
      // A reaction is not a message of its own: it leaves the unread count and the preview alone.
      expect(await contactOf(db, row.conversation_id)).toMatchObject({ unread_count: 0, last_message_id: null });
    },
  },
  'pywa__inbound_reaction_removed.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'reaction', emoji: null });
      expect(await db.selectFrom('reactions').selectAll().execute()).toEqual([expect.objectContaining({ actor: 'customer', emoji: null })]);
    },
  },
  'pywa__inbound_reaction_removed_no_emoji.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'reaction', emoji: null });
    },
  },
  'pywa__inbound_referral_ctwa.json': {
    check: async (db) => {
      const { meta } = await expectInbound(db, { type: 'text', body: 'BODY' });
      expect(meta?.referral).toMatchObject({ source_id: 'ADID', ctwa_clid: 'CTWA_CLID', headline: 'AD_TITLE' });
    },
  },
  'pywa__inbound_revoked_deleted.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'revoke', targetWamid: '<ORIGINAL_WHATSAPP_MESSAGE_ID>' });
      expect(row.amends_wamid).toBe('<ORIGINAL_WHATSAPP_MESSAGE_ID>');
    },
  },
  'pywa__inbound_sticker.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'sticker', mimeType: 'image/webp', animated: false });
      await expectPendingMedia(db, '1234567890987654321', 'sticker', 'image/webp');
    },
  },
  'pywa__inbound_sticker_animated.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'sticker', animated: true });
      const media = await db.selectFrom('media').selectAll().executeTakeFirstOrThrow();
      expect(media.animated).toBe(1);
    },
  },
  'pywa__inbound_system_identity_change.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'system', systemType: 'customer_identity_changed', body: 'User identity changed' });
      // A system notice is not the customer writing: the 24-hour window stays as it was.
      expect(await contactOf(db, row.conversation_id)).toMatchObject({ last_inbound_at: null, unread_count: 0 });
    },
  },
  'pywa__inbound_system_user_changed_number.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'system', systemType: 'user_changed_number', newWaId: '972912345678' });
      expect((await contactOf(db, row.conversation_id)).wa_id).toBe('972912345678');
    },
  },
  'pywa__inbound_text.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'text', body: 'Body Text' });
      expect(await contactOf(db, row.conversation_id)).toMatchObject({
        wa_id: '972987654321',
        user_id: 'US.13491208655302741918',
        profile_name: 'Test Name',
        last_inbound_at: 1697043223000,
      });
    },
  },
  'pywa__inbound_text_forwarded.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'text', body: 'forwarded text' }, { forwarded: true });
    },
  },
  'pywa__inbound_text_forwarded_many_times.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'text' }, { frequentlyForwarded: true });
    },
  },
  'pywa__inbound_text_reply_context.json': {
    check: async (db) => {
      const { row } = await expectInbound(db, { type: 'text', body: 'replied text' });
      expect(row.context_wamid).toBe('wamid.xyzxyz==');
    },
  },
  'pywa__inbound_unsupported.json': {
    check: async (db) => {
      const { meta } = await expectInbound(db, { type: 'unsupported', originalType: 'unsupported' });
      expect(meta?.errors).toEqual([{ code: 131051, title: 'Message type unknown', details: 'Message type is currently not supported.' }]);
    },
  },
  'pywa__inbound_unsupported_with_type.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'unsupported', originalType: 'pool' }, { errors: [{ code: 131051 }] });
    },
  },
  'pywa__inbound_video.json': {
    check: async (db) => {
      await expectInbound(db, { type: 'video', caption: 'caption', mimeType: 'video/mp4' }, { forwarded: true });
      await expectPendingMedia(db, '765756756', 'video', 'video/mp4');
    },
  },
  'pywa__status_delivered.json': statusCase('wamid.xyzxyz', 'delivered'),
  'pywa__status_played.json': statusCase('wamid.xyzxyz', 'played'),
  'pywa__status_read.json': statusCase('wamid.xyzxyz', 'read'),
  'pywa__status_sent.json': statusCase('wamid.xyzxyz', 'sent'),
  'pywa__status_sent_with_biz_opaque_callback_data.json': {
    seed: (t) => seedOutbound(t, 'wamid.xyzxyz'),
    check: async (db) => {
      const status = await db.selectFrom('message_statuses').selectAll().executeTakeFirstOrThrow();
      expect(JSON.parse(status.details_json ?? '{}')).toMatchObject({ biz_opaque_callback_data: 'some data', pricing: { category: 'service' } });
      expect((await messageByWamid(db, 'wamid.xyzxyz'))?.status).toBe('sent');
    },
  },
  'pywa__status_failed_130472.json': {
    seed: (t) => seedOutbound(t, 'wamid.xyzxyz'),
    check: async (db) => {
      const message = await messageByWamid(db, 'wamid.xyzxyz');
      expect(message).toMatchObject({
        status: 'failed',
        status_rank: STATUS_RANK.failed,
        error_code: 'meta_130472',
        error_title: "User's number is part of an experiment",
      });
      expect(message?.error_reason).toContain('part of an experiment');
    },
  },
  'pywa__status_read_group.json': {
    // Sportello sends to individuals only: a group's status is recorded, and touches no message of ours.
    check: async (db) => {
      const statuses = await db.selectFrom('message_statuses').selectAll().execute();
      expect(statuses).toEqual([
        expect.objectContaining({ wamid: '<WHATSAPP_MESSAGE_ID>', status: 'read', recipient_id: 'fowefinoewcnw', recipient_user_id: 'US.123456' }),
      ]);
      expect(await db.selectFrom('messages').selectAll().execute()).toHaveLength(0);
    },
  },
  'pywa__template_status_approved.json': { check: (db) => expectBusinessEvent(db, 'message_template_status_update', 'template_status') },
  'pywa__template_status_rejected.json': { check: (db) => expectBusinessEvent(db, 'message_template_status_update', 'template_status') },
  'pywa__user_marketing_preferences_resume.json': {
    check: async (db) => {
      await expectBusinessEvent(db, 'user_preferences', 'user_preferences');
      const contact = await db.selectFrom('contacts').selectAll().where('wa_id', '=', '16505551234').executeTakeFirstOrThrow();
      expect(contact).toMatchObject({ marketing_preference: 'resume', marketing_preference_at: 1731705721000 });
    },
  },
};

describe('Cloud API webhook fixtures', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('has an expectation for every fixture file, and a fixture file for every expectation', () => {
    // Counted, so that an empty or half-copied fixtures folder fails here instead of testing nothing.
    const names = webhookFixtureNames();
    expect(names).toHaveLength(Object.keys(CASES).length);
    expect(names.filter((name) => CASES[name] === undefined)).toEqual([]);
    expect(Object.keys(CASES).filter((name) => !names.includes(name))).toEqual([]);
  });

  for (const name of webhookFixtureNames()) {
    it(`accepts ${name}, stores what it carries, and absorbs its redelivery`, async () => {
      const testCase = CASES[name];
      expect(testCase, `no expectation written for ${name}`).toBeDefined();
      if (testCase === undefined) return;
      t = await startTestServer();
      await testCase.seed?.(t);
      const body = readWebhookFixture(name);
      const first = await t.postWebhook(body);
      expect(first.status).toBe(200);
      const db = t.server.database.db;
      expect(await db.selectFrom('webhook_quarantine').selectAll().execute()).toEqual([]);
      await testCase.check(db, t);

      const before = await rowCounts(db);
      const again = await t.postWebhook(body);
      expect(again.status).toBe(200);
      expect(await rowCounts(db)).toEqual(before);
      const duplicates = await t.server.metrics.webhookRequests.get();
      expect(duplicates.values.find((v) => v.labels.outcome === 'duplicate')?.value).toBe(1);
    });
  }
});
