/**
 * Starts the stand-in for Meta and fills in the channel settings it needs (secrets left unset are
 * generated for this run). It serves two business numbers of one business account and one app
 * (one app secret), each with its own token: the first is the one WHATSAPP_PHONE_NUMBER_ID names
 * (the server's "first number"), the second is written into the store at start (`numbers`), so
 * `npm start` shows conversations of both. Only ever used when no real access token is configured.
 */
import crypto from 'node:crypto';
import type { SendingLimits, ServerConfig, WhatsAppChannel } from '../config/load-config.js';
import { GraphStandIn } from './graph-stand-in.js';
import type { GraphStandInOptions } from './graph-stand-in.js';
import type { NumberSeed } from '../numbers/seed-numbers.js';
import { SimulatedCustomers } from './simulated-customers.js';
import { StripeStandIn } from './stripe-stand-in.js';
import type { SandboxBusiness } from './webhook-builder.js';
import { WebhookDeliverer } from './webhook-deliverer.js';

export interface Sandbox {
  readonly channel: WhatsAppChannel;
  /** The first number (the channel's). */
  readonly business: SandboxBusiness;
  /** Both numbers, the first first. */
  readonly businesses: readonly SandboxBusiness[];
  /** Both numbers as the server seeds them at start (display names, tokens). */
  readonly numbers: readonly NumberSeed[];
  readonly graph: GraphStandIn;
  /** Stripe's API for payment links (stripe-stand-in.ts): it takes any test key (`sk_test_…`). */
  readonly stripe: StripeStandIn;
  /** Points status webhooks and simulated customers at the server's webhook URL. */
  connect(webhookUrl: string, customers: number, options?: { trustedCertificate?: string }): SimulatedCustomers;
  close(): Promise<void>;
}

export interface SandboxOptions {
  readonly channel: ServerConfig['channel'];
  /** The stand-in enforces Meta's limits as configured for the server, so they can be exercised. */
  readonly limits: SendingLimits;
  readonly statusDelaysMs?: GraphStandInOptions['statusDelaysMs'];
  /** Numbers whose API has no block_users (tests of a number that does not support it). */
  readonly blockUsersUnsupported?: GraphStandInOptions['blockUsersUnsupported'];
  readonly now?: () => number;
  /** Meta down from the start (fault tests): GraphStandIn's `outage`. */
  readonly outage?: GraphStandInOptions['outage'];
}

const SECOND_NUMBER_ID = '100000000000002';

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const business: SandboxBusiness = {
    wabaId: '200000000000001',
    phoneNumberId: options.channel.phoneNumberId ?? '100000000000001',
    displayPhoneNumber: '15550001234',
    displayName: 'Sportello Support',
  };
  const second: SandboxBusiness = {
    wabaId: '200000000000001',
    phoneNumberId: business.phoneNumberId === SECOND_NUMBER_ID ? '100000000000003' : SECOND_NUMBER_ID,
    displayPhoneNumber: '15550005678',
    displayName: 'Sportello Sales',
  };
  const accessToken = `SANDBOX-${crypto.randomBytes(24).toString('base64url')}`;
  const secondToken = `SANDBOX-${crypto.randomBytes(24).toString('base64url')}`;
  const graph = new GraphStandIn({
    numbers: [
      { business, accessToken },
      { business: second, accessToken: secondToken },
    ],
    messagesPerSecond: options.limits.messagesPerSecond,
    pairBurst: options.limits.pairBurst,
    pairIntervalMs: options.limits.pairIntervalMs,
    statusDelaysMs: options.statusDelaysMs,
    blockUsersUnsupported: options.blockUsersUnsupported,
    now: options.now,
    outage: options.outage,
  });
  const graphApiUrl = await graph.listen();
  const stripe = new StripeStandIn();
  await stripe.listen();
  const channel: WhatsAppChannel = {
    appSecret: options.channel.appSecret ?? crypto.randomBytes(32).toString('hex'),
    verifyToken: options.channel.verifyToken ?? crypto.randomBytes(16).toString('base64url'),
    accessToken,
    phoneNumberId: business.phoneNumberId,
    graphApiUrl,
    graphApiVersion: options.channel.graphApiVersion,
  };
  const deliverers: WebhookDeliverer[] = [];
  let customers: SimulatedCustomers | undefined;
  const businesses: [SandboxBusiness, SandboxBusiness] = [business, second];
  return {
    channel,
    business,
    businesses,
    numbers: [
      { phoneNumberId: business.phoneNumberId, wabaId: business.wabaId, displayName: business.displayName, accessToken },
      { phoneNumberId: second.phoneNumberId, wabaId: second.wabaId, displayName: second.displayName, accessToken: secondToken },
    ],
    graph,
    stripe,
    connect(webhookUrl, count, connectOptions = {}) {
      const webhooks = new WebhookDeliverer(webhookUrl, channel.appSecret, connectOptions);
      deliverers.push(webhooks);
      graph.deliverStatusesTo(webhooks);
      customers = new SimulatedCustomers({ businesses, webhooks, graph, customers: count });
      return customers;
    },
    async close() {
      customers?.stop();
      await graph.close();
      await stripe.close();
      await Promise.all(deliverers.map((d) => d.stop()));
    },
  };
}
