/**
 * Customers doing what customers do, through the sandbox and signed webhooks as Meta delivers
 * them: writing, replying to a message, reacting, sending a photo, stopping marketing messages,
 * and Meta reporting a failed delivery. The inbox the tests and screenshots look at is filled only this way.
 */
import fs from 'node:fs';
import https from 'node:https';
import { signWebhookBody } from '../../../server/cloud-api/webhook-signature.js';
import { inboundMessageWebhook, statusWebhook } from '../../../server/sandbox/webhook-builder.js';
import type { InboundPayload, SandboxBusiness, SandboxCustomer } from '../../../server/sandbox/webhook-builder.js';
import { changeBody, inboundBody } from '../../helpers/edge-webhooks.js';
import { readWebhookFixture, webhookFixtureNames } from '../../helpers/fixtures.js';
import type { TestServer } from '../../helpers/test-server.js';

/** POSTs a webhook signed with the app secret, over the server's TLS (its self-signed certificate trusted). */
async function deliver(t: TestServer, body: string): Promise<void> {
  if (t.certificate === undefined) throw new Error('the test server must run TLS');
  const ca = fs.readFileSync(t.certificate.certFile, 'utf8');
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, t.sandbox.channel.appSecret) };
  const status = await new Promise<number>((resolve, reject) => {
    const request = https.request(t.server.webhookUrl, { method: 'POST', headers, ca }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
  if (status !== 200) throw new Error(`the webhook was refused: HTTP ${status}`);
}

/** One message from the customer to `business` (the first number unless said), optionally answering one of ours (by its wamid); returns its wamid. */
export async function customerSends(
  t: TestServer,
  customer: SandboxCustomer,
  payload: InboundPayload,
  replyTo?: string,
  business: SandboxBusiness = t.sandbox.business,
): Promise<string> {
  const { wamid, body } = inboundMessageWebhook(business, customer, payload, replyTo === undefined ? {} : { replyTo });
  // As the sandbox's own customers do: the Graph stand-in opens the 24-hour window for them.
  const now = Date.now();
  t.sandbox.graph.noteInbound(customer.waId, now);
  t.sandbox.graph.noteInbound(customer.userId, now);
  t.sandbox.graph.noteInboundMessage(wamid, customer.waId, business.phoneNumberId);
  await deliver(t, body);
  return wamid;
}

/**
 * A message exactly as given (any per-type object, readable or not, e.g. test/helpers/edge-webhooks.ts),
 * sent now or when `timestampMs` says; returns its wamid.
 */
export async function customerSendsAsIs(
  t: TestServer,
  customer: SandboxCustomer,
  message: Record<string, unknown>,
  options: { readonly timestampMs?: number } = {},
): Promise<string> {
  const { wamid, body } = inboundBody(t.sandbox.business, customer, message, options);
  await deliver(t, body);
  return wamid;
}

export function customerSays(t: TestServer, customer: SandboxCustomer, text: string, replyTo?: string): Promise<string> {
  return customerSends(t, customer, { type: 'text', text: { body: text } }, replyTo);
}

/** A text to one business number in particular (one the server serves, or one it does not). */
export function customerSaysTo(t: TestServer, business: SandboxBusiness, customer: SandboxCustomer, text: string): Promise<string> {
  return customerSends(t, customer, { type: 'text', text: { body: text } }, undefined, business);
}

/** A photo with real bytes, stored at the sandbox's Graph stand-in for the server to fetch. */
export function customerSendsPhoto(t: TestServer, customer: SandboxCustomer, png: Buffer, caption: string): Promise<string> {
  const media = t.sandbox.graph.addMedia(png, 'image/png');
  return customerSends(t, customer, { type: 'image', image: { id: media.id, mime_type: 'image/png', sha256: media.sha256Base64, caption } });
}

export function customerReacts(t: TestServer, customer: SandboxCustomer, targetWamid: string, emoji: string): Promise<string> {
  return customerSends(t, customer, { type: 'reaction', reaction: { message_id: targetWamid, emoji } });
}

/** Meta reports that one of our messages could not be delivered. */
export function metaReportsFailure(
  t: TestServer,
  customer: SandboxCustomer,
  wamid: string,
  error: { code: number; title: string; details: string },
): Promise<void> {
  return deliver(t, statusWebhook(t.sandbox.business, { waId: customer.waId, userId: customer.userId }, wamid, 'failed', { error }));
}

interface FixtureBody {
  entry: Array<{ changes: Array<{ value: { messages?: Array<{ id: string }> } }> }>;
}

/**
 * Every inbound-message fixture recorded from Meta's payloads: one customer (972987654321) who
 * sent every kind WhatsApp has, in 2023, so the 24-hour window is long closed. The recordings
 * reuse a few wamids, which the server rightly stores once; each gets its own here so every kind
 * is kept.
 */
export async function fixtureCustomerSendsEverything(t: TestServer): Promise<void> {
  for (const name of webhookFixtureNames().filter((fixture) => fixture.startsWith('pywa__inbound_'))) {
    const text = readWebhookFixture(name).toString('utf8');
    if (text.includes('<BUSINESS_PHONE_NUMBER_ID>')) continue;
    const body = JSON.parse(text) as FixtureBody;
    for (const change of body.entry.flatMap((entry) => entry.changes)) {
      for (const message of change.value.messages ?? []) message.id = `wamid.FIXTURE_${name.replace(/\W/g, '_')}`;
    }
    await deliver(t, JSON.stringify(body));
  }
}

/** The customer tells WhatsApp to stop marketing messages: Meta's `user_preferences` webhook. */
export function customerStopsMarketing(t: TestServer, customer: SandboxCustomer): Promise<void> {
  const preference = {
    wa_id: customer.waId,
    detail: 'User requested to stop marketing messages',
    category: 'marketing_messages',
    value: 'stop',
    timestamp: Math.floor(Date.now() / 1000),
  };
  const contacts = [{ profile: { name: customer.name }, wa_id: customer.waId, user_id: customer.userId }];
  return deliver(t, changeBody(t.sandbox.business, { contacts, user_preferences: [preference] }, 'user_preferences'));
}
