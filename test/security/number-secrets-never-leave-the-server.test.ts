/**
 * A business number's access token and app secret are the keys to a company's WhatsApp: sealed
 * at rest, used only towards Meta. With every number's secret known to the test, a server logging
 * everything (trace) is driven through what touches them (webhooks of each number, signed by
 * each app, one of an unknown number and one badly signed; sends from each number; a token Meta
 * refuses; a customer's photo fetched; the admin CLI adding a number and listing them; the admin
 * routes adding one with its own app secret, refusing a bad one, replacing a token and removing
 * one) and every
 * client-facing answer is read (the inbox and admin API, /healthz, /metrics, the OpenAPI document,
 * the CLI's output): no secret appears in any of them, in any log line, or in the store's files.
 */
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../server/cloud-api/webhook-signature.js';
import type { SandboxBusiness } from '../../server/sandbox/webhook-builder.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import { runAdmin } from '../admin-cli/admin-cli-process.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { PNG } from '../helpers/file-samples.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { storeContents } from '../helpers/store-contents.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const OTHER_APP_SECRET = crypto.randomBytes(32).toString('hex');
const OTHER_APP_TOKEN = `EAAOTHER${crypto.randomBytes(24).toString('base64url')}`;
const OTHER_APP: SandboxBusiness = { wabaId: '200000000000888', phoneNumberId: '100000000000888', displayPhoneNumber: '15550008888' };
const ADDED_TOKEN = `EAAADDED${crypto.randomBytes(24).toString('base64url')}`;
const SCREEN_TOKEN = `EAASCREEN${crypto.randomBytes(24).toString('base64url')}`;
const SCREEN_APP_SECRET = crypto.randomBytes(16).toString('hex');
const REFUSED_TOKEN = `EAAREFUSED${crypto.randomBytes(24).toString('base64url')}`;
const ROTATED_TOKEN = `EAAROTATED${crypto.randomBytes(24).toString('base64url')}`;
const NOT_SERVED: SandboxBusiness = { wabaId: '200000000000999', phoneNumberId: '100000000000999', displayPhoneNumber: '15550009999' };

let t: TestServer;
const logLines: string[] = [];
const answers: string[] = [];

function secrets(): string[] {
  return [
    t.sandbox.channel.appSecret,
    ...t.sandbox.numbers.map((number) => number.accessToken),
    OTHER_APP_SECRET,
    OTHER_APP_TOKEN,
    ADDED_TOKEN,
    SCREEN_TOKEN,
    SCREEN_APP_SECRET,
    REFUSED_TOKEN,
    ROTATED_TOKEN,
  ];
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  t = await startTestServer({
    logger: pino({ level: 'trace' }, sink),
    numbers: [{ phoneNumberId: OTHER_APP.phoneNumberId, wabaId: OTHER_APP.wabaId, accessToken: OTHER_APP_TOKEN, appSecret: OTHER_APP_SECRET }],
  });
  const device = await approvedDevice(t, 'secrets-desk');
  const admin = await enrolledAgent(t, device, 'irene', ['supervisor', 'admin']);
  const token = admin.session.accessToken;
  const [support, sales] = t.sandbox.businesses as [SandboxBusiness, SandboxBusiness];

  // Webhooks: each number, each app; an unknown number; a bad signature.
  const onSupport = await customerWrites(t, customer(t, 0), 'Hello support', support);
  const onSales = await customerWrites(t, customer(t, 1), 'Hello sales', sales);
  const otherApp = inboundMessageWebhook(OTHER_APP, customer(t, 2), { type: 'text', text: { body: 'Hello other app' } });
  answers.push((await t.postWebhook(otherApp.body, { signature: signWebhookBody(otherApp.body, OTHER_APP_SECRET) })).text);
  answers.push((await t.postWebhook(inboundMessageWebhook(NOT_SERVED, customer(t, 3), { type: 'text', text: { body: 'Anyone?' } }).body)).text);
  answers.push((await t.postWebhook('{"object":"whatsapp_business_account"}', { signature: 'sha256=00' })).text);
  const photo = t.sandbox.graph.addMedia(PNG, 'image/png');
  await t.customers.write(customer(t, 1), { type: 'image', image: { id: photo.id, mime_type: 'image/png', sha256: photo.sha256Base64 } }, sales);

  // Sends from each number, and Meta refusing one number's token.
  for (const conversationId of [onSupport.conversationId, onSales.conversationId]) {
    const sent = await device.call('POST', '/v1/messages', { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'On it' }, token);
    answers.push(JSON.stringify(sent.body));
  }
  await t.server.dispatcher.settled();
  t.sandbox.graph.injectFaults({ httpStatus: 401, code: 190, message: 'Error validating access token: Session has expired' });
  answers.push(
    JSON.stringify(
      (
        await device.call(
          'POST',
          '/v1/messages',
          { idempotencyKey: crypto.randomUUID(), conversationId: onSales.conversationId, kind: 'text', text: 'Again' },
          token,
        )
      ).body,
    ),
  );
  await t.server.dispatcher.settled();

  // The admin CLI adds a number with its token on stdin, and lists them.
  const added = await runAdmin(t.dataDir, ['numbers', 'add', '100000000000777', '--waba', '200000000000777', '--name', 'Added'], `${ADDED_TOKEN}\n`);
  expect(added.code, added.stderr).toBe(0);
  for (const run of [added, await runAdmin(t.dataDir, ['numbers', 'list']), await runAdmin(t.dataDir, ['numbers', 'list', '--json'])])
    answers.push(run.stdout, run.stderr);
  await t.server.numbers.refresh();

  // The admin routes the screens use: add with an own app secret, a refused body, a new token, a removal.
  const screenNumber = {
    phoneNumberId: '100000000000666',
    wabaId: '200000000000666',
    displayName: 'Screen',
    accessToken: SCREEN_TOKEN,
    appSecret: SCREEN_APP_SECRET,
  };
  const calls = [
    await device.call('POST', '/v1/admin/numbers', screenNumber, token),
    await device.call(
      'POST',
      '/v1/admin/numbers',
      { ...screenNumber, phoneNumberId: '100000000000555', accessToken: REFUSED_TOKEN, appSecret: 'short' },
      token,
    ),
    await device.call('POST', '/v1/admin/numbers/100000000000666/token', { accessToken: ROTATED_TOKEN }, token),
    await device.call('DELETE', '/v1/admin/numbers/100000000000777', undefined, token),
  ];
  expect(calls.map((call) => call.status)).toEqual([201, 400, 200, 200]);
  answers.push(...calls.map((call) => JSON.stringify(call.body)));

  // What clients and operators read.
  for (const route of [
    '/v1/conversations?filter=all',
    '/v1/numbers',
    '/v1/admin/numbers',
    '/v1/admin/audit',
    `/v1/conversations/${onSales.conversationId}/messages`,
  ]) {
    const answer = await device.call('GET', route, undefined, token);
    expect(answer.status, route).toBe(200);
    answers.push(JSON.stringify(answer.body));
  }
  for (const url of [`${t.server.url}/healthz`, `${t.server.url}/v1/openapi.json`, `${t.server.metricsUrl}/metrics`])
    answers.push(await (await fetch(url)).text());
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('a business number’s secrets', () => {
  it('were exercised: both numbers sent, the other app’s webhook was applied, the refusal and the unknown number were recorded', async () => {
    const db = t.server.database.db;
    const from = new Set(t.sandbox.graph.accepted.map((message) => message.from));
    expect(from).toEqual(new Set(t.sandbox.businesses.map((business) => business.phoneNumberId)));
    const numbers = await db.selectFrom('business_numbers').select(['phone_number_id', 'health_state']).execute();
    expect(numbers.find((row) => row.phone_number_id === t.sandbox.businesses[1]?.phoneNumberId)?.health_state).toBe('needs_reauthorization');
    expect(numbers.map((row) => row.phone_number_id)).toContain('100000000000666');
    expect(numbers.map((row) => row.phone_number_id)).not.toContain('100000000000777');
    expect(await db.selectFrom('unknown_number_webhooks').select('phone_number_id').execute()).toEqual([{ phone_number_id: NOT_SERVED.phoneNumberId }]);
    expect((await db.selectFrom('media').select('state').where('direction', '=', 'inbound').execute()).map((row) => row.state)).toEqual(['stored']);
    // The log saw the acts that handle secrets: the unknown number, the bad signature, the refused token.
    const messages = logLines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual(
      expect.arrayContaining(['webhook for a number this server does not serve kept for admins', 'webhook refused: bad signature', 'send failed for good']),
    );
  });

  it('appear in no answer to a client, an operator or the admin CLI', () => {
    for (const secret of secrets()) {
      const leaked = answers.filter((answer) => answer.includes(secret));
      expect(leaked, `a secret in ${leaked.length} answer(s)`).toEqual([]);
    }
  });

  it('appear in no log line', () => {
    for (const secret of secrets()) {
      const leaked = logLines.filter((line) => line.includes(secret));
      expect(leaked, 'a secret in the log').toEqual([]);
    }
  });

  it('are not in the store in the clear', async () => {
    const bytes = await storeContents(t);
    expect(bytes.includes(Buffer.from('Sportello Sales'))).toBe(true);
    for (const secret of secrets()) expect(bytes.includes(Buffer.from(secret)), 'a secret in the store').toBe(false);
  });
});
