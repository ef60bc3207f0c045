/**
 * Message templates over a listening server on either store (docs/templates.md): synced from the
 * sandbox's Graph stand-in page by page, kept current by Meta's template webhooks (the fixtures'
 * bodies among them), listed per conversation and for review, and judged before a send reaches
 * Meta: unknown, not approved, badly filled in, or marketing to a customer who stopped it (STOP,
 * then RESUME). Meta's own answers of the same refusals carry the same codes.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationTemplates, ManagedTemplates, TemplateSyncResult } from '../../common/api/template-endpoints.js';
import type { StoredTemplate } from '../../common/templates/template.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { readWebhookFixture } from '../helpers/fixtures.js';
import { approvedDevice, enrolledAgent, IT, openEventSocket } from '../helpers/identity-setup.js';
import type { EnrolledAgent, EventSocket } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let sara: EnrolledAgent;
let dario: EnrolledAgent;
let carla: EnrolledAgent;
let conversationId: number;
const sockets: Record<'anna' | 'carla', EventSocket | undefined> = { anna: undefined, carla: undefined };

const call = <T>(agent: EnrolledAgent, method: 'GET' | 'POST', path: string, body?: unknown) => desk.call<T>(method, path, body, agent.session.accessToken);
const errorOf = (answer: { body: unknown }) => (answer.body as { error?: { code?: string; details?: Record<string, unknown> } }).error;
const managed = async () => (await call<ManagedTemplates>(sara, 'GET', '/v1/manage/templates')).body;
const stored = async (name: string, language: string): Promise<StoredTemplate | undefined> =>
  (await managed()).templates.find((template) => template.name === name && template.language === language);
const waba = () => t.sandbox.business.wabaId;

function webhook(field: string, value: Record<string, unknown>): string {
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: waba(), time: Math.floor(Date.now() / 1000), changes: [{ value, field }] }] });
}

function marketingPreference(waId: string, value: 'stop' | 'resume', timestamp: number): string {
  const business = t.sandbox.business;
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field: 'user_preferences',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              user_preferences: [{ wa_id: waId, detail: `User requested to ${value} marketing messages`, category: 'marketing_messages', value, timestamp }],
            },
          },
        ],
      },
    ],
  });
}

async function refusal(send: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  try {
    await send;
  } catch (error) {
    const coded = error as { code: string; details?: unknown };
    return { code: coded.code, details: coded.details };
  }
  throw new Error('the send was not refused');
}

const send = (agent: EnrolledAgent, request: Record<string, unknown>) =>
  t.server.sendService.send(
    { kind: 'template', idempotencyKey: crypto.randomUUID(), conversationId, ...request },
    { agentId: agent.agentId, roles: ['agent'], memberOf: [], supervises: [] },
  );

beforeAll(async () => {
  t = await startTestServer({ customers: 2 });
  desk = await approvedDevice(t);
  const teamB = (await t.server.identity.teams.create({ name: 'Vendite' }, IT)).id;
  anna = await enrolledAgent(t, desk, 'anna');
  sara = await enrolledAgent(t, desk, 'sara', 'supervisor');
  dario = await enrolledAgent(t, desk, 'dario', 'admin', []);
  carla = await enrolledAgent(t, desk, 'carla', 'agent', [teamB]);
  conversationId = (await customerWrites(t, customer(t, 0), 'Ciao, vorrei sapere dove si trova il mio ordine, grazie mille')).conversationId;
  sockets.anna = await openEventSocket(t, desk, anna.session.accessToken);
  sockets.carla = await openEventSocket(t, desk, carla.session.accessToken);
}, 60_000);
afterAll(async () => {
  sockets.anna?.close();
  sockets.carla?.close();
  await t?.close();
});

describe('the sync from Meta', () => {
  it('stored every template of the account at start, following Meta’s pages to the last', async () => {
    const list = t.sandbox.graph.templates.list;
    expect(list.length).toBeGreaterThan(t.sandbox.graph.templates.pageSize * 2);
    const { templates, syncs } = await managed();
    expect(
      templates
        .filter((template) => template.wabaId === waba())
        .map((template) => template.id)
        .sort(),
    ).toEqual(list.map((template) => template.id).sort());
    expect(syncs.find((sync) => sync.wabaId === waba())).toMatchObject({ listed: list.length, removed: 0, error: null });
    const pages = Math.ceil(list.length / t.sandbox.graph.templates.pageSize);
    expect(t.sandbox.graph.templates.pagesServed.slice(0, pages).filter((after) => after === undefined)).toHaveLength(1);
    expect(new Set(t.sandbox.graph.templates.pagesServed.slice(0, pages)).size).toBe(pages);
    const shipped = templates.find((template) => template.name === 'order_shipped' && template.language === 'en_US');
    expect(shipped).toMatchObject({
      category: 'UTILITY',
      status: 'APPROVED',
      quality: 'GREEN',
      parameterFormat: 'POSITIONAL',
      removed: false,
      components: {
        header: { format: 'TEXT', text: 'Order {{1}}', examples: ['A-1042'] },
        footer: 'Reply STOP to opt out',
        buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.example.com/track/{{1}}', example: 'A-1042' }],
      },
    });
    expect(templates.find((template) => template.name === 'summer_sale' && template.language === 'en')).toMatchObject({
      category: 'MARKETING',
      parameterFormat: 'NAMED',
      quality: 'YELLOW',
      components: { header: { format: 'IMAGE' }, buttons: [{ type: 'QUICK_REPLY' }, { type: 'COPY_CODE' }] },
    });
    expect(templates.find((template) => template.name === 'login_code' && template.language === 'en')).toMatchObject({
      category: 'AUTHENTICATION',
      components: { buttons: [{ type: 'OTP', otpType: 'COPY_CODE' }] },
    });
  });

  it('marks removed a template Meta no longer lists, when a supervisor asks for a sync; an agent may neither ask nor review', async () => {
    const list = t.sandbox.graph.templates.list;
    const index = list.findIndex((template) => template.name === 'conversation_reopen' && template.language === 'it');
    const [gone] = list.splice(index, 1);
    const synced = await call<TemplateSyncResult>(sara, 'POST', '/v1/manage/templates/sync');
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(synced.body.syncs.find((sync) => sync.wabaId === waba())).toMatchObject({ listed: list.length, removed: 1, error: null });
    expect(await stored('conversation_reopen', 'it')).toMatchObject({ id: gone?.id, removed: true });
    expect((await call<ManagedTemplates>(dario, 'GET', '/v1/manage/templates')).status).toBe(200);
    expect(errorOf(await call(anna, 'GET', '/v1/manage/templates'))?.code).toBe('forbidden_role');
    expect(errorOf(await call(anna, 'POST', '/v1/manage/templates/sync'))?.code).toBe('forbidden_role');
  });
});

describe('Meta’s template webhooks', () => {
  it('approve and reject at once (the fixtures’ bodies), telling those who may use the account, and only them', async () => {
    expect(await stored('order_confirmation', 'en_US')).toMatchObject({ status: 'PENDING' });
    expect((await t.postWebhook(readWebhookFixture('pywa__template_status_approved.json'))).status).toBe(200);
    expect(await stored('order_confirmation', 'en_US')).toMatchObject({ status: 'APPROVED', statusReason: null });
    expect((await t.postWebhook(readWebhookFixture('pywa__template_status_rejected.json'))).status).toBe(200);
    expect(await stored('abandoned_cart', 'en')).toMatchObject({
      status: 'REJECTED',
      statusReason: expect.stringContaining('parameters placed next to each other'),
    });
    await expect
      .poll(() => sockets.anna?.events.filter((event) => event.type === 'template_changed').map((event) => event.template.name))
      .toEqual(expect.arrayContaining(['order_confirmation', 'abandoned_cart']));
    const seen = sockets.anna?.events.find((event) => event.type === 'template_changed' && event.template.name === 'abandoned_cart');
    expect(seen).toMatchObject({ template: { status: 'REJECTED', wabaId: waba() } });
    // Carla's team has no number of this account: she is told nothing.
    expect(sockets.carla?.events.filter((event) => event.type === 'template_changed')).toEqual([]);
  });

  it('change a template’s category and quality, and a redelivery changes nothing more', async () => {
    const promo = await stored('order_update', 'en_US');
    const base = { message_template_id: Number(promo?.id), message_template_name: 'order_update', message_template_language: 'en_US' };
    const category = webhook('template_category_update', { ...base, previous_category: 'UTILITY', new_category: 'MARKETING' });
    const quality = webhook('message_template_quality_update', { ...base, previous_quality_score: 'GREEN', new_quality_score: 'RED' });
    expect((await t.postWebhook(category)).status).toBe(200);
    expect((await t.postWebhook(quality)).status).toBe(200);
    const changed = await stored('order_update', 'en_US');
    expect(changed).toMatchObject({ category: 'MARKETING', quality: 'RED' });
    expect((await t.postWebhook(quality)).status).toBe(200);
    expect((await stored('order_update', 'en_US'))?.updatedAt).toBe(changed?.updatedAt);
  });

  it('change a status from the stand-in’s review (PAUSED), as the sandbox sends it', async () => {
    const hello = await stored('hello_world', 'it');
    await t.sandbox.graph.setTemplateStatus(hello?.id ?? '', 'PAUSED', { reason: 'LOW_QUALITY' });
    expect(await stored('hello_world', 'it')).toMatchObject({ status: 'PAUSED', statusReason: 'LOW_QUALITY' });
    await t.sandbox.graph.setTemplateStatus(hello?.id ?? '', 'APPROVED');
    expect(await stored('hello_world', 'it')).toMatchObject({ status: 'APPROVED', statusReason: null });
  });
});

describe('a conversation’s templates', () => {
  it('lists the account’s templates, approved first and the customer’s language first, each with why it cannot go', async () => {
    const answer = await call<ConversationTemplates>(anna, 'GET', `/v1/conversations/${conversationId}/templates`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { templates, language, customerStoppedMarketing } = answer.body;
    expect([language, customerStoppedMarketing]).toEqual(['it', false]);
    const approved = templates.filter((template) => template.status === 'APPROVED');
    expect(templates.slice(0, approved.length)).toEqual(approved);
    const firstOther = approved.findIndex((template) => !template.language.startsWith('it'));
    expect(firstOther).toBeGreaterThan(0);
    expect(approved.slice(firstOther).some((template) => template.language.startsWith('it'))).toBe(false);
    expect(templates.find((template) => template.name === 'loyalty_points')).toMatchObject({ status: 'PAUSED', refusal: 'template_not_approved' });
    expect(templates.some((template) => template.removed)).toBe(false);
    expect(errorOf(await call(carla, 'GET', `/v1/conversations/${conversationId}/templates`))?.code).toBe('conversation_not_found');
  });
});

describe('a template send', () => {
  it('is refused before Meta when the template is unknown, not approved, or not filled in right', async () => {
    const calls = t.sandbox.graph.callCount;
    expect((await refusal(send(anna, { name: 'no_such_template', languageCode: 'en' }))).code).toBe('template_unknown');
    expect((await refusal(send(anna, { name: 'conversation_reopen', languageCode: 'it' }))).code).toBe('template_unknown');
    expect(await refusal(send(anna, { name: 'loyalty_points', languageCode: 'en' }))).toMatchObject({
      code: 'template_not_approved',
      details: { status: 'PAUSED' },
    });
    expect(await refusal(send(anna, { name: 'abandoned_cart', languageCode: 'en' }))).toMatchObject({
      code: 'template_not_approved',
      details: { status: 'REJECTED', reason: expect.stringContaining('parameters') },
    });
    const missing = await refusal(send(anna, { name: 'order_shipped', languageCode: 'en_US', parameters: { body: { 1: 'Giulia' } } }));
    expect(missing).toMatchObject({
      code: 'template_parameters_invalid',
      details: {
        problems: [
          { at: 'header.1', problem: 'missing' },
          { at: 'body.2', problem: 'missing' },
          { at: 'body.3', problem: 'missing' },
          { at: 'button.0', problem: 'missing' },
        ],
      },
    });
    // Components built by hand are read back and judged by the same rule.
    const byHand = await refusal(send(anna, { name: 'order_update', languageCode: 'it', components: [] }));
    expect(byHand).toMatchObject({ code: 'template_parameters_invalid', details: { problems: [{ at: 'body.1', problem: 'missing' }] } });
    expect(t.sandbox.graph.callCount).toBe(calls);
  });

  it('goes out with the components the rule builds from what the agent filled in', async () => {
    const sent = await send(anna, {
      name: 'order_shipped',
      languageCode: 'en_US',
      parameters: { header: { 1: 'A-7' }, body: { 1: 'Giulia', 2: 'A-7', 3: 'on Friday' }, buttons: { 0: 'A-7' } },
    });
    await t.server.dispatcher.settled();
    const accepted = t.sandbox.graph.accepted.find((message) => (message.body.template as { name?: string } | undefined)?.name === 'order_shipped');
    expect(accepted?.body).toMatchObject({
      template: {
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'A-7' }] },
          { type: 'body', parameters: [{ text: 'Giulia' }, { text: 'A-7' }, { text: 'on Friday' }] },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-7' }] },
        ],
      },
    });
    const row = await t.server.database.db.selectFrom('messages').select('status').where('id', '=', sent.messageId).executeTakeFirstOrThrow();
    expect(row.status).toBe('accepted');
  });

  it('of a marketing template is refused once the customer stopped marketing (counted and audited), and goes again after RESUME', async () => {
    const waId = customer(t, 0).waId;
    const promo = {
      name: 'summer_sale',
      languageCode: 'en',
      parameters: {
        headerMedia: { kind: 'image', link: 'https://cdn.example.com/sale.jpg' },
        body: { first_name: 'Giulia', code: 'SUMMER20' },
        buttons: { 1: 'SUMMER20' },
      },
    };
    const now = Math.floor(Date.now() / 1000);
    expect((await t.postWebhook(marketingPreference(waId, 'stop', now))).status).toBe(200);
    const listed = (await call<ConversationTemplates>(anna, 'GET', `/v1/conversations/${conversationId}/templates`)).body;
    expect(listed.customerStoppedMarketing).toBe(true);
    expect(listed.templates.find((template) => template.name === 'summer_sale' && template.language === 'en')?.refusal).toBe('customer_stopped_marketing');
    expect(listed.templates.find((template) => template.name === 'order_shipped' && template.language === 'en_US')?.refusal).toBeNull();

    const calls = t.sandbox.graph.callCount;
    expect((await refusal(send(anna, promo))).code).toBe('customer_stopped_marketing');
    expect(t.sandbox.graph.callCount).toBe(calls);
    const audited = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'details_json'])
      .where('event', '=', 'safety.personal_data.refused')
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]?.details_json).not.toContain('Giulia');
    const metrics = await t.server.metrics.safetyActions.get();
    expect(metrics.values.find((value) => value.labels.rule === 'personal_data' && value.labels.action === 'refused')?.value).toBe(1);

    expect((await t.postWebhook(marketingPreference(waId, 'resume', now + 60))).status).toBe(200);
    expect((await call<ConversationTemplates>(anna, 'GET', `/v1/conversations/${conversationId}/templates`)).body.customerStoppedMarketing).toBe(false);
    const sent = await send(anna, promo);
    await t.server.dispatcher.settled();
    expect((await t.server.database.db.selectFrom('messages').select('status').where('id', '=', sent.messageId).executeTakeFirstOrThrow()).status).toBe(
      'accepted',
    );
  });

  it('accepts the fixture’s RESUME for a customer it has not seen yet', async () => {
    expect((await t.postWebhook(readWebhookFixture('pywa__user_marketing_preferences_resume.json'))).status).toBe(200);
    const contact = await t.server.database.db
      .selectFrom('contacts')
      .select('marketing_preference')
      .where('wa_id', '=', '16505551234')
      .executeTakeFirstOrThrow();
    expect(contact.marketing_preference).toBe('resume');
  });

  it('carries the same code when Meta itself refuses it (132015: paused)', async () => {
    t.sandbox.graph.injectFaults({ httpStatus: 400, code: 132015, message: '(#132015) Cannot send message with a paused template' });
    const sent = await send(anna, { name: 'hello_world', languageCode: 'en_US' });
    await t.server.dispatcher.settled();
    const row = await t.server.database.db.selectFrom('messages').select(['status', 'error_code']).where('id', '=', sent.messageId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', error_code: 'template_not_approved' });
  });
});
