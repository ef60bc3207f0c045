/**
 * Starts the stand-in for Meta and fills in the channel settings it needs (secrets left unset are
 * generated for this run). Only ever used when no real access token is configured.
 */
import crypto from 'node:crypto';
import type { SendingLimits, ServerConfig, WhatsAppChannel } from '../config/load-config.js';
import { GraphStandIn } from './graph-stand-in.js';
import type { GraphStandInOptions } from './graph-stand-in.js';
import { SimulatedCustomers } from './simulated-customers.js';
import type { SandboxBusiness } from './webhook-builder.js';
import { WebhookDeliverer } from './webhook-deliverer.js';

export interface Sandbox {
  readonly channel: WhatsAppChannel;
  readonly business: SandboxBusiness;
  readonly graph: GraphStandIn;
  /** Points status webhooks and simulated customers at the server's webhook URL. */
  connect(webhookUrl: string, customers: number, options?: { trustedCertificate?: string }): SimulatedCustomers;
  close(): Promise<void>;
}

export interface SandboxOptions {
  readonly channel: ServerConfig['channel'];
  /** The stand-in enforces Meta's limits as configured for the server, so they can be exercised. */
  readonly limits: SendingLimits;
  readonly statusDelaysMs?: GraphStandInOptions['statusDelaysMs'];
  readonly now?: () => number;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const business: SandboxBusiness = {
    wabaId: '200000000000001',
    phoneNumberId: options.channel.phoneNumberId ?? '100000000000001',
    displayPhoneNumber: '15550001234',
  };
  const accessToken = `SANDBOX-${crypto.randomBytes(24).toString('base64url')}`;
  const graph = new GraphStandIn({
    accessToken,
    business,
    messagesPerSecond: options.limits.messagesPerSecond,
    pairBurst: options.limits.pairBurst,
    pairIntervalMs: options.limits.pairIntervalMs,
    statusDelaysMs: options.statusDelaysMs,
    now: options.now,
  });
  const graphApiUrl = await graph.listen();
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
  return {
    channel,
    business,
    graph,
    connect(webhookUrl, count, connectOptions = {}) {
      const webhooks = new WebhookDeliverer(webhookUrl, channel.appSecret, connectOptions);
      deliverers.push(webhooks);
      graph.deliverStatusesTo(webhooks);
      customers = new SimulatedCustomers({ business, webhooks, graph, customers: count });
      return customers;
    },
    async close() {
      customers?.stop();
      await graph.close();
      await Promise.all(deliverers.map((d) => d.stop()));
    },
  };
}
