/**
 * A card number a customer sends is masked (first six, last four) before the server keeps
 * anything of the webhook: it is nowhere in the store (message, search entry, raw JSON, a
 * quarantined or unknown-number body), in no answer to a client and in no log line, while the
 * identifiers around it (ids that pass the Luhn check too) stay as Meta sent them.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import type { SandboxBusiness } from '../../server/sandbox/webhook-builder.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { deeplyNestedMessageBody } from '../helpers/edge-webhooks.js';
import { PNG } from '../helpers/file-samples.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { storeContents } from '../helpers/store-contents.js';
import { messageByWamid } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

/** Test card numbers of the networks, each as the customer writes it and as its bare digits. */
const CARDS = {
  text: { written: '4111 1111 1111 1111', masked: '4111 11•• •••• 1111' },
  caption: { written: '5500-0000-0000-0004', masked: '5500-00••-••••-0004' },
  button: { written: '4012888888881881', masked: '401288••••••1881' },
  deep: { written: '4000 0566 5566 5556', masked: '4000 05•• •••• 5556' },
  unknownNumber: { written: '5105105105105100', masked: '510510••••••5100' },
  name: { written: '3782 822463 10005', masked: '3782 82•••• •0005' },
} as const;
/** Luhn-valid too, but an identifier (a button's id): kept as sent. */
const BUTTON_ID = '6011111111111117';
const NOT_SERVED: SandboxBusiness = { wabaId: '200000000000404', phoneNumberId: '100000000000404', displayPhoneNumber: '+39 02 0000 0404' };

const digitsOf = (written: string) => written.replace(/\D/g, '');
/** Every form of a card that must not be kept: as written, and its bare digits. */
const forbidden = Object.values(CARDS).flatMap((card) => [card.written, digitsOf(card.written)]);

let t: TestServer;
const logLines: string[] = [];
const answers: string[] = [];
const wamids: Record<string, string> = {};
/** Bodies posted as they are, to deliver again. */
const posted: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  t = await startTestServer({ logger: pino({ level: 'trace' }, sink) });
  const device = await approvedDevice(t);
  const anna = await enrolledAgent(t, device, 'anna');

  const text = await customerWrites(t, customer(t, 0), `My card is ${CARDS.text.written}, expiry 12/29`);
  wamids.text = text.wamid;
  const photo = t.sandbox.graph.addMedia(PNG, 'image/png');
  const captioned = await t.customers.write(customer(t, 0), {
    type: 'image',
    image: { id: photo.id, mime_type: 'image/png', sha256: photo.sha256Base64, caption: `the other one: ${CARDS.caption.written}` },
  });
  wamids.caption = captioned.wamid;
  const button = await t.customers.write(customer(t, 0), {
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: BUTTON_ID, title: `Pay with ${CARDS.button.written}` } },
  });
  wamids.button = button.wamid;
  const named = inboundMessageWebhook(t.sandbox.business, { ...customer(t, 1), name: `Card ${CARDS.name.written}` }, { type: 'text', text: { body: 'Hello' } });
  expect((await t.postWebhook(named.body)).status).toBe(200);
  posted.push(named.body);
  const deep = deeplyNestedMessageBody(t.sandbox.business, customer(t, 2), 5000);
  expect((await t.postWebhook(deep.body.replace('Hello from deep down', `deep ${CARDS.deep.written}`))).status).toBe(200);
  const lost = inboundMessageWebhook(NOT_SERVED, customer(t, 3), { type: 'text', text: { body: `card ${CARDS.unknownNumber.written}` } });
  expect((await t.postWebhook(lost.body)).status).toBe(200);
  posted.push(lost.body);
  await t.server.mediaFetcher.settled();

  for (const path of ['/v1/conversations', `/v1/conversations/${text.conversationId}/messages`]) {
    const answer = await device.call('GET', path, undefined, anna.session.accessToken);
    answers.push(JSON.stringify(answer.body));
  }
  answers.push(JSON.stringify(await t.server.database.db.selectFrom('webhook_quarantine').selectAll().execute()));
});
afterAll(async () => {
  await t.close();
});

describe('a card number a customer sends', () => {
  it('is stored masked in the message text, the caption and the button title, and the button id stays as sent', async () => {
    const db = t.server.database.db;
    const content = async (wamid: string | undefined) => JSON.stringify((await messageByWamid(db, wamid ?? ''))?.content_json);
    expect(await content(wamids.text)).toContain(`My card is ${CARDS.text.masked}, expiry 12/29`);
    expect(await content(wamids.caption)).toContain(CARDS.caption.masked);
    expect(await content(wamids.button)).toContain(CARDS.button.masked);
    expect(await content(wamids.button)).toContain(BUTTON_ID);
    const bytes = await storeContents(t);
    expect(bytes.includes(Buffer.from(BUTTON_ID)), 'the identifier is kept').toBe(true);
    expect(bytes.includes(Buffer.from(CARDS.unknownNumber.masked)), 'the unknown number’s body is kept, masked').toBe(true);
    expect(bytes.includes(Buffer.from(CARDS.deep.masked)), 'the quarantined body is kept, masked').toBe(true);
    expect(bytes.includes(Buffer.from(CARDS.name.masked)), 'the profile name is kept, masked').toBe(true);
  });

  it('is counted and audited once per card masked, by no text, and not again on a redelivery', async () => {
    const masked = Object.keys(CARDS).length;
    const rows = await t.server.database.db.selectFrom('audit_log').selectAll().where('event', '=', 'safety.cards.redacted').execute();
    expect(rows).toHaveLength(masked);
    const counted = (await t.server.metrics.safetyActions.get()).values.find((value) => value.labels.rule === 'cards' && value.labels.action === 'redacted');
    expect(counted?.value).toBe(masked);

    // Meta delivers them again: nothing new is kept, so nothing more is audited or counted.
    for (const body of posted) expect((await t.postWebhook(body)).status).toBe(200);
    expect(await t.server.database.db.selectFrom('audit_log').select('id').where('event', '=', 'safety.cards.redacted').execute()).toHaveLength(masked);
    const again = (await t.server.metrics.safetyActions.get()).values.find((value) => value.labels.rule === 'cards' && value.labels.action === 'redacted');
    expect(again?.value).toBe(masked);
  });

  it('is nowhere in the store in any form it was written', async () => {
    const bytes = await storeContents(t);
    expect(forbidden.filter((form) => bytes.includes(Buffer.from(form)))).toEqual([]);
  });

  it('reaches the agent masked, and is in no answer and no log line as written', () => {
    expect(answers.join('\n')).toContain(CARDS.text.masked);
    expect(forbidden.filter((form) => answers.some((answer) => answer.includes(form)))).toEqual([]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(forbidden.filter((form) => logLines.some((line) => line.includes(form)))).toEqual([]);
  });
});
