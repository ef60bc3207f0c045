/**
 * A message an agent sends that looks like it carries a one-time code, a PIN or a recovery code is
 * held: without the agent's confirmation the server answers 422 code_needs_confirmation naming the
 * reasons (never the text), stores nothing, sends nothing to the sandbox's Graph endpoint, and
 * records the hold (`safety.codes.held` by ids, the counter). Confirmed, it goes and is recorded as
 * `safety.codes.confirmed` naming the stored message. With the rule off it goes unasked; an order
 * number is no code, and a confirmation on a text without a code changes nothing.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { rowCounts } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let desk: TestDevice;
let anna: EnrolledAgent;
let conversationId: number;

beforeAll(async () => {
  // No delivery statuses: they would add events while a hold is checked for changing nothing.
  t = await startTestServer({ statusDelaysMs: {} });
  desk = await approvedDevice(t);
  anna = await enrolledAgent(t, desk, 'anna');
  ({ conversationId } = await customerWrites(t, customer(t, 0), 'I got a code by SMS, what now?'));
});
afterAll(async () => {
  await t.close();
});

const counts = () => rowCounts(t.server.database.db, ['messages', 'events', 'audit_log']);
const send = (body: Record<string, unknown>, idempotencyKey: string = crypto.randomUUID()) =>
  desk.call('POST', '/v1/messages', { idempotencyKey, conversationId, ...body }, anna.session.accessToken);
const counted = async (action: string) =>
  Number((await t.server.metrics.safetyActions.get()).values.find((value) => value.labels.rule === 'codes' && value.labels.action === action)?.value ?? 0);
const lastAudit = () => t.server.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
const codeAudits = async () =>
  (await t.server.database.db.selectFrom('audit_log').select('event').where('event', 'like', 'safety.codes.%').execute()).map((row) => row.event);
const accepted = async () => {
  await t.server.dispatcher.settled();
  return t.sandbox.graph.accepted.map((message) => JSON.stringify(message.body));
};

async function held(body: Record<string, unknown>, secret: string, reasons: string[]) {
  const before = await counts();
  const holds = await counted('held');
  const answer = await send(body);
  expect(answer, secret).toMatchObject({ status: 422, body: { error: { code: 'code_needs_confirmation', details: { reasons } } } });
  expect(JSON.stringify(answer.body)).not.toContain(secret);
  // Nothing changed but the hold's own audit row, which names ids only, and its count.
  expect(await counts(), `${secret}: nothing changed`).toEqual({ ...before, audit_log: (before.audit_log ?? 0) + 1 });
  const row = await lastAudit();
  expect(row).toMatchObject({ event: 'safety.codes.held', agent_id: anna.agentId });
  expect(JSON.parse(row.details_json)).toEqual({ conversationId });
  expect(JSON.stringify(row)).not.toContain(secret);
  expect(await counted('held')).toBe(holds + 1);
}

describe('a code an agent sends', () => {
  it('is held without the agent’s confirmation, in a text, a caption and a template’s parameters, and nothing reaches Meta', async () => {
    await held({ kind: 'text', text: 'Your code is 482913' }, '482913', ['one_time_code']);
    await held({ kind: 'text', text: 'Il codice:\n739104' }, '739104', ['one_time_code', 'lone_six_digits']);
    await held({ kind: 'text', text: 'ok, here it is: ACDEF-GHJKM' }, 'ACDEF-GHJKM', ['recovery_code']);
    await held({ kind: 'media', mediaId: 999_999, caption: 'PIN 5521' }, '5521', ['one_time_code']);
    await held(
      {
        kind: 'template',
        name: 'verification_help',
        languageCode: 'en',
        components: [{ type: 'body', parameters: [{ type: 'text', text: '604 211' }] }],
      },
      '604 211',
      ['lone_six_digits'],
    );
    // An explicit "not confirmed" is no confirmation.
    await held({ kind: 'text', text: 'OTP: 118-204', confirmedCode: false }, '118-204', ['one_time_code']);
    expect(await accepted()).toEqual([]);
  });

  it('goes once the agent confirms it, recorded as confirmed with the message it stored', async () => {
    const confirmations = await counted('confirmed');
    const key = crypto.randomUUID();
    const sent = await send({ kind: 'text', text: 'Your code is 482913', confirmedCode: true }, key);
    expect(sent.status).toBe(201);
    const messageId = (sent.body as { message: { id: number } }).message.id;
    const row = await lastAudit();
    expect(row).toMatchObject({ event: 'safety.codes.confirmed', outcome: 'ok', agent_id: anna.agentId });
    expect(JSON.parse(row.details_json)).toEqual({ conversationId, messageId });
    expect(JSON.stringify(row)).not.toContain('482913');
    expect(await counted('confirmed')).toBe(confirmations + 1);
    expect((await accepted()).filter((body) => body.includes('482913'))).toHaveLength(1);

    // The same key again (a retry) is the same send: nothing new is stored, sent or recorded.
    const before = await counts();
    const again = await send({ kind: 'text', text: 'Your code is 482913', confirmedCode: true }, key);
    expect(again).toMatchObject({ status: 201, body: { message: { id: messageId }, duplicate: true } });
    expect(await counts()).toEqual(before);
    expect(await counted('confirmed')).toBe(confirmations + 1);
    expect((await accepted()).filter((body) => body.includes('482913'))).toHaveLength(1);
  });

  it('is not held when it is none: an order number goes, and a confirmation without a code is ignored', async () => {
    const audits = await codeAudits();
    expect((await send({ kind: 'text', text: 'Your order 482913 ships today' })).status).toBe(201);
    expect((await send({ kind: 'text', text: 'Thanks, see you tomorrow', confirmedCode: true })).status).toBe(201);
    expect(await codeAudits()).toEqual(audits);
    const bodies = await accepted();
    expect(bodies.some((body) => body.includes('Your order 482913 ships today'))).toBe(true);
    expect(bodies.some((body) => body.includes('Thanks, see you tomorrow'))).toBe(true);
  });

  it('goes without confirmation when an admin turned the rule off, and is held again once it is back on', async () => {
    const policies = t.server.safety.policies;
    const turn = async (holdOutboundCodes: boolean) => {
      const { version, policy } = await policies.current();
      await policies.change({ version, policy: { ...policy, codes: { ...policy.codes, holdOutboundCodes } } }, IT);
    };
    await turn(false);
    const audits = await codeAudits();
    expect((await send({ kind: 'text', text: 'Test PIN 9042' })).status).toBe(201);
    expect(await codeAudits()).toEqual(audits);
    expect((await accepted()).some((body) => body.includes('Test PIN 9042'))).toBe(true);
    await turn(true);
    await held({ kind: 'text', text: 'Test PIN 9043' }, '9043', ['one_time_code']);
  });
});
