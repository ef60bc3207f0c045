/**
 * A real inbox server on a loopback port, on a fresh data directory, with the sandbox standing in
 * for Meta: what every server test drives. Route tests that gain nothing from a port build the
 * same server without listening (`buildTestServer`) and reach it through `app.inject`.
 */
import fs from 'node:fs';
import pino from 'pino';
import { buildInboxServer } from '../../server/app/inbox-server.js';
import type { BuiltInboxServer, InboxServer, InboxServerOptions } from '../../server/app/inbox-server.js';
import { signWebhookBody } from '../../server/cloud-api/webhook-signature.js';
import { defaultAuditCheckpointFile } from '../../server/config/load-config.js';
import type { ClientPolicy, IdentityConfig, SendingLimits, ServerConfig } from '../../server/config/load-config.js';
import type { EventFeedOptions } from '../../server/events/event-feed.js';
import type { GraphStandInOptions } from '../../server/sandbox/graph-stand-in.js';
import type { SimulatedCustomers } from '../../server/sandbox/simulated-customers.js';
import { startSandbox } from '../../server/sandbox/start-sandbox.js';
import { ensureDevCertificate } from '../../server/tls/dev-certificate.js';
import type { DevCertificate } from '../../server/tls/dev-certificate.js';
import type { Sandbox, SandboxOptions } from '../../server/sandbox/start-sandbox.js';
import { WEBHOOK_PATH } from '../../server/webhooks/webhook-routes.js';
import type { NumberSeed } from '../../server/numbers/seed-numbers.js';
import { FIXTURE_NUMBERS } from './fixtures.js';
import { runEvery } from './run-every.js';
import { makeTempDir } from './temp-dir.js';
import { testDatabaseUrl } from './test-store.js';

export interface TestServer {
  readonly server: InboxServer;
  /** Set when started with `tls: true`: the certificate and its SPKI pin. */
  readonly certificate: DevCertificate | undefined;
  readonly sandbox: Sandbox;
  readonly customers: SimulatedCustomers;
  readonly dataDir: string;
  /** POSTs a body to the webhook endpoint, signed with the app secret unless told otherwise. */
  postWebhook(body: string | Buffer, options?: { signature?: string | null; contentType?: string }): Promise<{ status: number; text: string }>;
  /**
   * Stops this server, its data kept, and starts another on the same data directory with
   * `options` (a restart): the new one then owns the directory, and closing it removes a
   * directory this one made. Closing this one afterwards changes nothing.
   */
  restart(options?: Omit<TestServerOptions, 'dataDir'>): Promise<TestServer>;
  /** Stops the server and the sandbox, and removes the data directory unless the test gave it. */
  close(): Promise<void>;
}

/** The same server built and not listening: no port, no workers (dispatcher, media fetcher, event feed), no checkpoint timers. */
export interface BuiltTestServer {
  readonly server: BuiltInboxServer;
  readonly sandbox: Sandbox;
  readonly dataDir: string;
  /** The webhook endpoint through `app.inject`, signed with the app secret unless told otherwise. */
  postWebhook(body: string | Buffer, options?: { signature?: string | null; contentType?: string }): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly limits?: Partial<SendingLimits>;
  readonly statusDelaysMs?: GraphStandInOptions['statusDelaysMs'];
  /** Numbers whose Graph stand-in has no block_users. */
  readonly blockUsersUnsupported?: GraphStandInOptions['blockUsersUnsupported'];
  readonly dispatcher?: InboxServerOptions['dispatcher'];
  readonly mediaFetcher?: InboxServerOptions['mediaFetcher'];
  readonly customers?: number;
  /** Reuse a data directory (restart tests); a fresh one otherwise. */
  readonly dataDir?: string;
  readonly now?: () => number;
  readonly policy?: Partial<ClientPolicy>;
  readonly identity?: Partial<Omit<IdentityConfig, 'policy'>>;
  readonly eventFeed?: EventFeedOptions;
  readonly jobs?: InboxServerOptions['jobs'];
  /** The in-process shared state's expiries (presence in a conversation). */
  readonly presence?: InboxServerOptions['presence'];
  readonly routing?: InboxServerOptions['routing'];
  readonly customerTyping?: InboxServerOptions['customerTyping'];
  /** Serve HTTPS with a self-signed certificate (as `npm start` does), for clients that pin it. */
  readonly tls?: boolean;
  /** The app secret webhooks are signed with; a random one otherwise. */
  readonly appSecret?: string;
  /** Where the server logs (silent otherwise): tests that read its log lines. */
  readonly logger?: InboxServerOptions['logger'];
  /** More numbers seeded at start, besides the sandbox's two and the fixtures' (with the sandbox's first token). */
  readonly numbers?: readonly NumberSeed[];
  /** Customers (wa_id) Meta's stand-in takes to have written just now, before the server starts: a restart's queued sends find the window open, as Meta would. */
  readonly customersWrote?: readonly string[];
  /**
   * Where a clamd the test started listens (test/helpers/clamd.ts). Without one, files cannot be
   * scanned, so the harness stores a safety policy with `attachments.refuseFilesWithoutCleanScan`
   * off (version 1, by `test:harness`), as `npm start` does without signatures
   * (docs/safety-rules.md, "Without a scanner"), unless `safetyDefaults` asks for the policy as shipped.
   */
  readonly scanner?: ServerConfig['scanner'];
  /** The safety policy as shipped (version 0, unscanned files closed), even without a scanner. */
  readonly safetyDefaults?: boolean;
  /** The scanner's timeouts and how a rescan waits for clamd's RELOAD. */
  readonly scanning?: InboxServerOptions['scanner'];
  /** A sent template's category, for analytics. */
  readonly templateCategory?: InboxServerOptions['templateCategory'];
  /** The proxies whose X-Forwarded-For is believed (SPORTELLO_TRUSTED_PROXIES); none otherwise. */
  readonly trustedProxies?: readonly string[];
  /** Meta's stand-in down from the start, every call failing this way until `graph.endOutage()`. */
  readonly graphOutage?: SandboxOptions['outage'];
  /**
   * A replica of this server (give its data directory too, so both are on one store): the first
   * one's sandbox serves both, so its Graph stand-in takes both servers' sends and the store keeps
   * its tokens. The sandbox is not closed with the replica, and its customers keep writing to the
   * first server.
   */
  readonly replicaOf?: TestServer;
}

export const TEST_POLICY: ClientPolicy = {
  requireAllowlist: true,
  idleLockMinutes: 5,
  offlineLeaseHours: 12,
  blockScreenshots: true,
  allowBasicTextStorage: false,
  keepCacheOnLogout: false,
  notificationPreviews: false,
};

type Cleanups = Array<() => unknown>;

/** Everything a test server is made of but the listening: its certificate, the sandbox, the built server; each pushed onto `started` to undo. */
async function buildServerUnderTest(dataDir: string, options: TestServerOptions, started: Cleanups) {
  const limits: SendingLimits = { messagesPerSecond: 80, pairBurst: 10, pairIntervalMs: 6000, ...options.limits };
  const certificate = options.tls === true ? await ensureDevCertificate(dataDir) : undefined;
  const config: Omit<ServerConfig, 'channel'> = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: await testDatabaseUrl(dataDir),
    logLevel: 'silent',
    sending: limits,
    sandbox: { customersPerSecond: 0, customers: options.customers ?? 4 },
    identity: {
      serverKey: undefined,
      orgName: 'Acme Test',
      publicUrl: undefined,
      sessionHours: 12,
      ...options.identity,
      policy: { ...TEST_POLICY, ...options.policy },
    },
    tls: certificate === undefined ? undefined : { certFile: certificate.certFile, keyFile: certificate.keyFile },
    devTls: false,
    metrics: { host: '127.0.0.1', port: 0 },
    auditCheckpointFile: defaultAuditCheckpointFile(dataDir),
    scanner: options.scanner,
    trustedProxies: options.trustedProxies,
  };
  const sandbox =
    options.replicaOf?.sandbox ??
    (await startSandbox({
      channel: { graphApiUrl: 'http://127.0.0.1', graphApiVersion: 'v25.0', ...(options.appSecret === undefined ? {} : { appSecret: options.appSecret }) },
      limits,
      statusDelaysMs: options.statusDelaysMs ?? {},
      blockUsersUnsupported: options.blockUsersUnsupported,
      now: options.now,
      outage: options.graphOutage,
    }));
  if (options.replicaOf === undefined) started.push(() => sandbox.close());
  for (const waId of options.customersWrote ?? []) sandbox.graph.noteInbound(waId, Date.now());
  const fixtureNumbers = FIXTURE_NUMBERS.map((number) => ({ ...number, accessToken: sandbox.channel.accessToken }));
  const server = await buildInboxServer({
    config,
    channel: sandbox.channel,
    seedNumbers: [...sandbox.numbers, ...fixtureNumbers, ...(options.numbers ?? [])],
    logger: options.logger ?? pino({ level: 'silent' }),
    dispatcher: { retryBaseMs: 20, ...options.dispatcher },
    mediaFetcher: { baseDelayMs: 20, ...options.mediaFetcher },
    eventFeed: { pollMs: 100, ...options.eventFeed },
    jobs: { pollMs: 100, ...options.jobs },
    presence: options.presence,
    routing: options.routing,
    customerTyping: options.customerTyping,
    templateCategory: options.templateCategory,
    stripeApiUrl: sandbox.stripe.url,
    now: options.now,
    scanner: options.scanning,
  });
  started.push(() => server.close());
  if (options.scanner === undefined && options.safetyDefaults !== true) await openUnscannedFiles(server);
  return { certificate, sandbox, server };
}

/** No scanner in this test: unscanned files open, as the admin of a desk without clamd would choose (once: a restart keeps it). */
async function openUnscannedFiles(server: BuiltInboxServer): Promise<void> {
  const current = await server.safety.policies.current();
  if (current.version !== 0) return;
  await server.safety.policies.change(
    { version: 0, policy: { ...current.policy, attachments: { ...current.policy.attachments, refuseFilesWithoutCleanScan: false } } },
    { name: 'test:harness', agentId: null, sourceAddress: null },
  );
}

/** Runs `parts`; when they fail half-way, undoes what they started and removes the directory this helper made. */
async function undoneOnFailure<T>(made: { remove: () => void } | undefined, parts: (started: Cleanups) => Promise<T>): Promise<T> {
  const started: Cleanups = [];
  try {
    return await parts(started);
  } catch (error) {
    await runEvery([...started.reverse(), () => made?.remove()]).catch(() => undefined);
    throw error;
  }
}

function webhookHeaders(body: string | Buffer, appSecret: string, options: { signature?: string | null; contentType?: string }): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const signature = options.signature === undefined ? signWebhookBody(body, appSecret) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return headers;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  // A directory this helper makes is its to remove: on close, and when the start fails half-way.
  const temp = options.dataDir === undefined ? makeTempDir() : undefined;
  return startOn(options.dataDir ?? temp?.dir ?? '', options, temp);
}

function startOn(dataDir: string, options: TestServerOptions, made: { remove: () => void } | undefined): Promise<TestServer> {
  return undoneOnFailure(made, (started) => startParts(dataDir, options, started, made));
}

async function startParts(dataDir: string, options: TestServerOptions, started: Cleanups, made: { remove: () => void } | undefined): Promise<TestServer> {
  const { certificate, sandbox, server: built } = await buildServerUnderTest(dataDir, options, started);
  const server = await built.listen();
  const trustedCertificate = certificate === undefined ? undefined : fs.readFileSync(certificate.certFile, 'utf8');
  const shared = options.replicaOf !== undefined;
  const customers = options.replicaOf?.customers ?? sandbox.connect(server.webhookUrl, options.customers ?? 4, { trustedCertificate });
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= runEvery([() => (shared ? undefined : sandbox.close()), () => server.close()]));
  let owned = made;
  return {
    server,
    certificate,
    sandbox,
    customers,
    dataDir,
    async postWebhook(body, postOptions = {}) {
      const response = await fetch(server.webhookUrl, { method: 'POST', headers: webhookHeaders(body, sandbox.channel.appSecret, postOptions), body });
      return { status: response.status, text: await response.text() };
    },
    async restart(restartOptions = {}) {
      const handedOver = owned;
      owned = undefined;
      try {
        await stop();
      } catch (error) {
        handedOver?.remove();
        throw error;
      }
      return startOn(dataDir, { ...restartOptions, dataDir }, handedOver);
    },
    close: () => runEvery([stop, () => owned?.remove()]),
  };
}

/** `tls` makes no difference here: nothing listens. */
export async function buildTestServer(options: Omit<TestServerOptions, 'tls'> = {}): Promise<BuiltTestServer> {
  const temp = options.dataDir === undefined ? makeTempDir() : undefined;
  const dataDir = options.dataDir ?? temp?.dir ?? '';
  return undoneOnFailure(temp, async (started) => {
    const { sandbox, server } = await buildServerUnderTest(dataDir, options, started);
    return {
      server,
      sandbox,
      dataDir,
      async postWebhook(body, postOptions = {}) {
        const response = await server.app.inject({
          method: 'POST',
          url: WEBHOOK_PATH,
          headers: webhookHeaders(body, sandbox.channel.appSecret, postOptions),
          payload: body,
        });
        return { status: response.statusCode, text: response.body };
      },
      close: () => runEvery([() => sandbox.close(), () => server.close(), () => temp?.remove()]),
    };
  });
}
