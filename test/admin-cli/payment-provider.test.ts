/**
 * `payment-provider …` as an admin runs it beside the server: a Stripe key piped on stdin is
 * sealed, never printed, and the running server makes its next payment link with it at the
 * sandbox's Stripe stand-in; a fixed page and none are set by argument; a bad key or address stops
 * the command with one line that does not echo it, and nothing changes; each change is audited
 * without the key.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminPaymentProviderView } from '../../common/payments/payment-links.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { adminJson, expectOneLineFailure, runAdmin } from './admin-cli-process.js';

const STRIPE_KEY = `sk_test_${crypto.randomBytes(16).toString('hex')}`;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const show = () => adminJson<AdminPaymentProviderView>(t.dataDir, ['payment-provider', 'show']);
async function stored() {
  const { db } = t.server.database;
  return {
    row: await db.selectFrom('payment_provider').selectAll().execute(),
    audit: await db.selectFrom('audit_log').select(['event', 'actor', 'details_json']).where('event', '=', 'payments.provider_changed').execute(),
  };
}

describe('payment-provider', () => {
  it('shows none before anything is set', async () => {
    expect(await show()).toMatchObject({ kind: 'none', stripeKeyStored: false, fixedUrl: null, changedBy: null });
    const text = await runAdmin(t.dataDir, ['payment-provider', 'show']);
    expect(text.stdout).toContain('never set: agents cannot request payments');
  });

  it('refuses a bad key, an http page and a stray address with one line, echoing nothing, changing nothing', async () => {
    const before = await stored();
    const badKey = 'pk_test_thisisapublishablekey';
    const refusals = [
      await runAdmin(t.dataDir, ['payment-provider', 'set', 'stripe'], `${badKey}\n`),
      await runAdmin(t.dataDir, ['payment-provider', 'set', 'stripe'], ''),
      await runAdmin(t.dataDir, ['payment-provider', 'set', 'fixed_url', 'http://paypal.me/acme']),
      await runAdmin(t.dataDir, ['payment-provider', 'set', 'none', 'https://paypal.me/acme']),
      await runAdmin(t.dataDir, ['payment-provider', 'set', 'paypal']),
    ];
    for (const run of refusals) {
      expect(expectOneLineFailure(run)).toMatch(/^error \[invalid_argument\]: /);
      expect(run.stderr).not.toContain(badKey);
    }
    expect(await stored()).toEqual(before);
  });

  it('seals a Stripe key read from stdin, never prints it, and the running server makes links with it', async () => {
    const set = await runAdmin(t.dataDir, ['payment-provider', 'set', 'stripe'], `${STRIPE_KEY}\n`);
    expect(set, set.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toMatch(/^Changed the payment provider: changed .* by cli:/);
    expect(set.stdout).toContain('stored, sealed (test mode; never shown)');
    const view = await show();
    expect(view).toMatchObject({ kind: 'stripe', stripeKeyStored: true, stripeMode: 'test' });
    const { row, audit } = await stored();
    expect(JSON.stringify(row)).not.toContain(STRIPE_KEY.slice(8));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toMatch(/^cli:/);
    expect(JSON.stringify(audit)).not.toContain(STRIPE_KEY.slice(8));
    const listed = await runAdmin(t.dataDir, ['audit', 'list', '--json']);
    expect(listed.stdout + set.stdout + set.stderr).not.toContain(STRIPE_KEY.slice(8));

    // The server reads the setting on each request: its next payment link is made with this key.
    const device = await approvedDevice(t, 'cli-pay-desk');
    const anna = await enrolledAgent(t, device, 'anna', 'agent');
    const { conversationId } = await customerWrites(t, customer(t, 0), 'Vorrei pagare');
    const created = await device.call(
      'POST',
      '/v1/payment-requests',
      { conversationId, amount: 2500, currency: 'EUR', description: 'Ordine 55', idempotencyKey: crypto.randomUUID() },
      anna.session.accessToken,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(t.sandbox.stripe.calls.map((call) => call.secretKey)).toEqual([STRIPE_KEY, STRIPE_KEY]);
  });

  it('sets a fixed page, then none', async () => {
    const fixed = await runAdmin(t.dataDir, ['payment-provider', 'set', 'fixed_url', 'https://paypal.me/acmeshop']);
    expect(fixed, fixed.stderr).toMatchObject({ code: 0 });
    expect(await show()).toMatchObject({ kind: 'fixed_url', fixedUrl: 'https://paypal.me/acmeshop', stripeKeyStored: false });
    expect((await runAdmin(t.dataDir, ['payment-provider', 'set', 'none'])).code).toBe(0);
    expect(await show()).toMatchObject({ kind: 'none', fixedUrl: null, stripeKeyStored: false });
    const { audit } = await stored();
    expect(audit.map((row) => JSON.parse(row.details_json) as Record<string, unknown>).map((details) => [details.fromKind, details.kind])).toEqual([
      ['none', 'stripe'],
      ['stripe', 'fixed_url'],
      ['fixed_url', 'none'],
    ]);
  });
});
