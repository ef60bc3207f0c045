/**
 * The admin routes the numbers screen uses, on a listening server with its real store: an admin
 * adds a number, gives one a new token and removes one, each audited with the admin as actor and
 * answered with the number's public record; a body the CLI would refuse, a non-admin, the
 * settings' own number and a number whose conversations would be left behind are refused, and
 * the refusals change nothing.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessNumberList, BusinessNumberView, NumberRemoved } from '../../common/api/business-numbers.js';
import type { SandboxBusiness } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

interface Refusal {
  readonly error: { readonly code: string };
}

const token = () => `EAAROUTE${crypto.randomBytes(24).toString('base64url')}`;
const NEW_NUMBER = { phoneNumberId: '100000000000321', wabaId: '200000000000321', displayName: 'Screens Italy' };

let t: TestServer;
let device: TestDevice;
let adminToken: string;
let agentToken: string;
let settingsNumber: SandboxBusiness;
let salesNumber: SandboxBusiness;
let salesConversation: number;

async function numbers(): Promise<BusinessNumberList> {
  const answer = await device.call<BusinessNumberList>('GET', '/v1/admin/numbers', undefined, adminToken);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function auditOf(event: string) {
  return t.server.database.db.selectFrom('audit_log').select(['actor', 'agent_id', 'details_json']).where('event', '=', event).orderBy('id').execute();
}

/** What a refusal must leave as it was: the numbers (with their sealed tokens) and the audit log. */
async function snapshot() {
  const db = t.server.database.db;
  return {
    numbers: await db
      .selectFrom('business_numbers')
      .select(['phone_number_id', 'access_token_sealed', 'app_secret_sealed', 'health_state'])
      .orderBy('id')
      .execute(),
    audit: (await db.selectFrom('audit_log').select('id').where('event', 'like', 'number.%').execute()).length,
    conversations: await db.selectFrom('conversations').select(['id', 'business_phone_number_id']).orderBy('id').execute(),
  };
}

beforeAll(async () => {
  t = await startTestServer();
  [settingsNumber, salesNumber] = t.sandbox.businesses as [SandboxBusiness, SandboxBusiness];
  device = await approvedDevice(t, 'numbers-desk');
  const admin = await enrolledAgent(t, device, 'irene', ['supervisor', 'admin']);
  adminToken = admin.session.accessToken;
  const agentDevice = await approvedDevice(t, 'agent-desk');
  agentToken = (await enrolledAgent(t, agentDevice, 'bruno', 'supervisor')).session.accessToken;
  salesConversation = (await customerWrites(t, customer(t, 0), 'Hello sales', salesNumber)).conversationId;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('the admin number routes', () => {
  it('refuse a body the CLI would refuse, and change nothing', async () => {
    const before = await snapshot();
    const good = { ...NEW_NUMBER, accessToken: token() };
    const bad: Record<string, unknown>[] = [
      { ...good, phoneNumberId: '+39 333 1234567' },
      { ...good, wabaId: 'waba' },
      { ...good, displayName: '   ' },
      { ...good, accessToken: '   ' },
      { ...good, accessToken: 'EAA with spaces inside the token' },
      { ...good, appSecret: 'short' },
      { phoneNumberId: good.phoneNumberId, wabaId: good.wabaId, displayName: good.displayName },
    ];
    for (const body of bad) {
      const answer = await device.call<Refusal>('POST', '/v1/admin/numbers', body, adminToken);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
      expect(JSON.stringify(answer.body)).not.toContain(good.accessToken);
    }
    const rotate = await device.call<Refusal>('POST', `/v1/admin/numbers/${salesNumber.phoneNumberId}/token`, { accessToken: 'short' }, adminToken);
    expect(rotate.status).toBe(400);
    const notAnId = await device.call<Refusal>('DELETE', '/v1/admin/numbers/sales', undefined, adminToken);
    expect(notAnId.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('answer a non-admin 403, and change nothing', async () => {
    const before = await snapshot();
    const calls = [
      await device.call<Refusal>('POST', '/v1/admin/numbers', { ...NEW_NUMBER, accessToken: token() }, agentToken),
      await device.call<Refusal>('POST', `/v1/admin/numbers/${salesNumber.phoneNumberId}/token`, { accessToken: token() }, agentToken),
      await device.call<Refusal>(
        'DELETE',
        `/v1/admin/numbers/${salesNumber.phoneNumberId}?moveConversationsTo=${settingsNumber.phoneNumberId}`,
        undefined,
        agentToken,
      ),
    ];
    expect(calls.map((call) => [call.status, call.body.error.code])).toEqual(Array.from({ length: 3 }, () => [403, 'forbidden_role']));
    expect(await snapshot()).toEqual(before);
  });

  it('add a number, answering its public record, audited with the admin as actor', async () => {
    const accessToken = token();
    const appSecret = crypto.randomBytes(16).toString('hex');
    const added = await device.call<BusinessNumberView>(
      'POST',
      '/v1/admin/numbers',
      { ...NEW_NUMBER, accessToken: ` ${accessToken}\n`, appSecret },
      adminToken,
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ ...NEW_NUMBER, ownAppSecret: true, hasToken: true, fromEnvironment: false, health: 'ok', conversations: 0 });
    expect(JSON.stringify(added.body)).not.toContain(accessToken);
    expect((await numbers()).numbers.map((number) => number.phoneNumberId)).toContain(NEW_NUMBER.phoneNumberId);
    const [entry] = await auditOf('number.added');
    expect(entry?.actor).toMatch(/^agent:\d+:irene$/);
    expect(JSON.parse(entry?.details_json ?? '{}')).toEqual({ ...NEW_NUMBER, ownAppSecret: true });
    expect(entry?.details_json).not.toContain(accessToken);

    const again = await device.call<Refusal>('POST', '/v1/admin/numbers', { ...NEW_NUMBER, accessToken: token() }, adminToken);
    expect([again.status, again.body.error.code]).toEqual([409, 'number_exists']);
  });

  it('give a refused number a new token, which the running server sends from at once', async () => {
    t.sandbox.graph.injectFaults({ httpStatus: 401, code: 190, message: 'Error validating access token: Session has expired' });
    const send = { idempotencyKey: crypto.randomUUID(), conversationId: salesConversation, kind: 'text', text: 'On it' };
    expect((await device.call('POST', '/v1/messages', send, adminToken)).status).toBe(201);
    await t.server.dispatcher.settled();
    expect((await numbers()).numbers.find((number) => number.phoneNumberId === salesNumber.phoneNumberId)?.health).toBe('needs_reauthorization');
    // The token Meta's stand-in takes for Sales (the re-authorised system user's).
    const reauthorised = t.sandbox.numbers.find((number) => number.phoneNumberId === salesNumber.phoneNumberId)?.accessToken ?? '';
    const rotated = await device.call<BusinessNumberView>(
      'POST',
      `/v1/admin/numbers/${salesNumber.phoneNumberId}/token`,
      { accessToken: reauthorised },
      adminToken,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ phoneNumberId: salesNumber.phoneNumberId, health: 'ok', hasToken: true });
    // The running server sends from it at once, without waiting for its next read of the numbers.
    const again = { idempotencyKey: crypto.randomUUID(), conversationId: salesConversation, kind: 'text', text: 'Here is the quote' };
    expect((await device.call('POST', '/v1/messages', again, adminToken)).status).toBe(201);
    await t.server.dispatcher.settled();
    expect(t.sandbox.graph.accepted.filter((message) => message.from === salesNumber.phoneNumberId).length).toBeGreaterThan(0);
    expect((await auditOf('number.token_rotated')).map((row) => [row.actor, JSON.parse(row.details_json) as unknown])).toEqual([
      [expect.stringMatching(/^agent:\d+:irene$/), { phoneNumberId: salesNumber.phoneNumberId }],
    ]);
    const unknown = await device.call<Refusal>('POST', '/v1/admin/numbers/100000000000404/token', { accessToken: token() }, adminToken);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'number_unknown']);
  });

  it('refuse to remove the settings’ number, or one whose conversations would be left behind, and change nothing', async () => {
    const before = await snapshot();
    const settings = await device.call<Refusal>('DELETE', `/v1/admin/numbers/${settingsNumber.phoneNumberId}`, undefined, adminToken);
    expect([settings.status, settings.body.error.code]).toEqual([409, 'number_from_environment']);
    const unmoved = await device.call<Refusal>('DELETE', `/v1/admin/numbers/${salesNumber.phoneNumberId}`, undefined, adminToken);
    expect([unmoved.status, unmoved.body.error.code]).toEqual([409, 'number_has_conversations']);
    const toItself = await device.call<Refusal>(
      'DELETE',
      `/v1/admin/numbers/${salesNumber.phoneNumberId}?moveConversationsTo=${salesNumber.phoneNumberId}`,
      undefined,
      adminToken,
    );
    expect([toItself.status, toItself.body.error.code]).toEqual([409, 'number_move_to_itself']);
    expect(await snapshot()).toEqual(before);
  });

  it('remove a number, moving its conversations, audited with the admin as actor', async () => {
    const removed = await device.call<NumberRemoved>(
      'DELETE',
      `/v1/admin/numbers/${salesNumber.phoneNumberId}?moveConversationsTo=${NEW_NUMBER.phoneNumberId}`,
      undefined,
      adminToken,
    );
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ phoneNumberId: salesNumber.phoneNumberId, movedConversations: 1, movedTo: NEW_NUMBER.phoneNumberId });
    const after = await numbers();
    expect(after.numbers.map((number) => number.phoneNumberId)).not.toContain(salesNumber.phoneNumberId);
    expect(after.numbers.find((number) => number.phoneNumberId === NEW_NUMBER.phoneNumberId)?.conversations).toBe(1);
    // The removed number leaves the metrics too, instead of reporting its last state for ever.
    const metrics = await (await fetch(`${t.server.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^sportello_number_can_send\\{phone_number_id="${NEW_NUMBER.phoneNumberId}"\\} 1$`, 'm'));
    expect(metrics).not.toContain(`phone_number_id="${salesNumber.phoneNumberId}"`);
    expect((await auditOf('number.removed')).map((row) => [row.actor, JSON.parse(row.details_json) as unknown])).toEqual([
      [expect.stringMatching(/^agent:\d+:irene$/), { phoneNumberId: salesNumber.phoneNumberId, movedConversations: 1, movedTo: NEW_NUMBER.phoneNumberId }],
    ]);
  });
});
