/**
 * Assembles the inbox server from its parts (store, Graph client, media, sending, HTTP routes)
 * and starts it. Used by server/main.ts, the tests and the benchmarks alike.
 *
 * Two steps: `buildInboxServer` opens the store and builds the Fastify app with every route, on
 * no port and with nothing running in the background (route tests reach it with `app.inject`);
 * its `listen()` then starts the audit checkpoints and the /metrics listener, listens on the
 * configured port, and starts the workers (media fetcher, outbound dispatcher, event feed).
 */
import fs from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import type { ServerConfig, WhatsAppChannel } from '../config/load-config.js';
import { trustProxyOption } from '../config/trusted-proxies.js';
import { BusinessNumbers } from '../numbers/business-numbers.js';
import { NumberAdmin } from '../numbers/number-admin.js';
import { seedNumbers } from '../numbers/seed-numbers.js';
import type { NumberSeed } from '../numbers/seed-numbers.js';
import { loggerOptions } from '../http/logging.js';
import { operationsRoutes } from '../http/operations-routes.js';
import { MediaFetcher } from '../media/media-fetcher.js';
import type { MediaFetcherOptions } from '../media/media-fetcher.js';
import { MediaStore } from '../media/media-store.js';
import { MediaScans } from '../media/media-scans.js';
import { MediaRescanner } from '../jobs/media-rescan.js';
import { FileScanner } from '../scanning/file-scanner.js';
import type { FileScannerOptions } from '../scanning/file-scanner.js';
import { startMetricsListener } from '../metrics/metrics-listener.js';
import type { MetricsListener } from '../metrics/metrics-listener.js';
import { ServerMetrics } from '../metrics/server-metrics.js';
import { OutboundDispatcher } from '../sending/outbound-dispatcher.js';
import type { DispatcherOptions } from '../sending/outbound-dispatcher.js';
import { OutboundMedia } from '../sending/outbound-media.js';
import { SendService } from '../sending/send-service.js';
import { GroupCommitter } from '../store/group-commit.js';
import { openDatabase } from '../store/open-database.js';
import type { OpenedDatabase } from '../store/open-database.js';
import { WEBHOOK_PATH, webhookRoutes } from '../webhooks/webhook-routes.js';
import { unknownUserHash } from '../credentials/passwords.js';
import { createIdentityServices } from './identity-services.js';
import type { IdentityServices } from './identity-services.js';

import { CLIENT_API } from '../../common/api/client-api.js';
import { adminHandlers } from '../api/admin-routes.js';
import { bindRoutes } from '../api/api-route.js';
import type { AnyApiRoute } from '../api/api-route.js';
import { eventsHandlers } from '../api/events-route.js';
import { identityHandlers } from '../api/identity-routes.js';
import { inboxHandlers } from '../api/inbox-routes.js';
import { noteHandlers } from '../api/note-routes.js';
import { replyHandlers } from '../api/reply-routes.js';
import { Labels } from '../replies/labels.js';
import { QuickReplies } from '../replies/quick-replies.js';
import { handoverHandlers } from '../api/handover-routes.js';
import { blockHandlers } from '../api/block-routes.js';
import { BlockService } from '../blocks/block-service.js';
import { HandoverService } from '../handover/handover-service.js';
import { NoteService } from '../notes/note-service.js';
import { NoteViews } from '../notes/note-views.js';
import { openApiDocument } from '../api/openapi.js';
import { registerApiRoutes } from '../api/register-api.js';
import { ClientVersionGate } from '../api/client-version-gate.js';
import { EventFeed } from '../events/event-feed.js';
import { feedWakeups } from '../events/feed-wakeups.js';
import { templateServices } from '../templates/template-services.js';
import { templateHandlers } from '../api/template-routes.js';
import { TemplateSendCheck } from '../templates/template-send-check.js';
import { TemplateSyncSchedule } from '../jobs/template-sync-job.js';
import { dailyBackups } from '../backup/daily-backups.js';
import type { EventFeedOptions } from '../events/event-feed.js';
import { JobRunner } from '../jobs/job-runner.js';
import type { JobRunnerOptions } from '../jobs/job-runner.js';
import { presenceHandlers } from '../api/presence-routes.js';
import { hoursHandlers } from '../api/hours-routes.js';
import { routingHandlers } from '../api/routing-routes.js';
import { RoutingAdmin } from '../routing/routing-admin.js';
import { supervisionHandlers } from '../api/supervision-routes.js';
import { analyticsHandlers } from '../api/analytics-routes.js';
import { AnalyticsReader } from '../analytics/analytics-reader.js';
import { ANALYTICS_FOLD_EVERY_MS, AnalyticsFold } from '../analytics/analytics-fold.js';
import type { TemplateCategoryOf } from '../analytics/analytics-reader.js';
import { DeskPresence } from '../presence/desk-presence.js';
import { inProcessSharedState } from '../presence/in-process-state.js';
import type { InProcessStateOptions } from '../presence/in-process-state.js';
import type { SharedState } from '../presence/shared-state.js';
import { CustomerTyping } from '../sending/customer-typing.js';
import type { CustomerTypingOptions } from '../sending/customer-typing.js';
import { InboxViews } from '../inbox/inbox-views.js';
import { scheduleFeature } from '../schedule/schedule-feature.js';
import { scheduleHandlers } from '../api/schedule-routes.js';
import { scheduleMissingSnoozeEnds, snoozeEndKind, snoozeScheduler } from '../jobs/snooze-end.js';
import { awayMessageKind, awayMessageOnCustomerWrite } from '../hours/away-message.js';
import { Router } from '../assignment/router.js';
import type { RouterOptions } from '../assignment/router.js';
import { loadServerKey } from '../secrets/server-key.js';
import type { AuditCheckpointerOptions } from '../audit/audit-checkpointer.js';
import { serverCheckpoints } from '../audit/server-checkpoints.js';
import { approvalPageRoutes } from '../approval-page/approval-page-routes.js';
import { ScannerHealth } from '../scanning/scanner-health.js';
import { safetyHandlers } from '../api/safety-routes.js';
import { paymentHandlers } from '../api/payment-routes.js';
import { PaymentProviderSettings } from '../payments/payment-provider-settings.js';
import { PaymentRequests } from '../payments/payment-requests.js';
import { StripePaymentLinks } from '../payments/stripe-payment-links.js';
import { CardGuard } from '../safety/card-guard.js';
import { CodeGuard } from '../safety/code-guard.js';
import { PersonalDataGuard } from '../personal-data/personal-data-guard.js';
import { PersonalDataService } from '../personal-data/personal-data-service.js';
import { personalDataHandlers } from '../api/personal-data-routes.js';
import { LinkGuard } from '../safety/link-guard.js';
import { SafetyActions } from '../safety/safety-actions.js';
import { SafetyPolicies } from '../safety/safety-policies.js';
import { CustomerNumberMasking } from '../masking/customer-numbers.js';
import { GroupGuard } from '../safety/group-guard.js';
import { NumberReveal } from '../masking/number-reveal.js';
import { numberHandlers } from '../api/number-routes.js';
import { GateRecheck } from '../events/gate-recheck.js';
import { storedTemplateCategory } from '../templates/template-category.js';
import { VersionWatch } from '../events/version-watch.js';
import { briefingHandlers } from '../api/briefing-routes.js';
import { Briefings } from '../briefing/briefings.js';
import type { SessionPrincipal } from '../sessions/session-store.js';

export interface InboxServerOptions {
  readonly config: Omit<ServerConfig, 'channel'>;
  /** A sent template's category for analytics (server/analytics/analytics-reader.ts); none: every send counts as `unknown`. */
  readonly templateCategory?: TemplateCategoryOf;
  /** The first number (the WHATSAPP_* settings), and the app secret of every number without its own. */
  readonly channel: WhatsAppChannel;
  /**
   * More numbers written into the store at start, as the first one is (the sandbox's second number,
   * the numbers of the tests' fixtures); one naming the first number gives it a display name.
   */
  readonly seedNumbers?: readonly NumberSeed[];
  readonly logger?: Logger;
  readonly dispatcher?: DispatcherOptions;
  readonly mediaFetcher?: MediaFetcherOptions;
  /** The virus scanner's timeouts, and how a rescan knows clamd's RELOAD has finished. */
  readonly scanner?: FileScannerOptions;
  readonly eventFeed?: EventFeedOptions;
  readonly auditCheckpoints?: AuditCheckpointerOptions;
  readonly jobs?: JobRunnerOptions;
  /** The in-process shared state's expiries (the default implementation). */
  readonly presence?: InProcessStateOptions;
  /** A store-backed or broadcast shared state in place of the in-process one (several replicas). */
  readonly sharedState?: SharedState;
  readonly customerTyping?: CustomerTypingOptions;
  /** Assignment within a team: how often the queues are swept. */
  readonly routing?: RouterOptions;
  /** Where Stripe's API is reached for payment links (the sandbox's stand-in); undefined: api.stripe.com. */
  readonly stripeApiUrl?: string;
  readonly now?: () => number;
}
/** What a server is made of, built or listening. */
export interface InboxServerParts {
  readonly app: FastifyInstance;
  readonly database: OpenedDatabase;
  readonly committer: GroupCommitter;
  readonly metrics: ServerMetrics;
  /** The business numbers served: each with its token, app secret and health. */
  readonly numbers: BusinessNumbers;
  readonly mediaStore: MediaStore;
  readonly mediaFetcher: MediaFetcher;
  /** Each stored file judged by its bytes and scanned (issue 13), and the periodic rescan. */
  readonly mediaScans: MediaScans;
  readonly mediaRescanner: MediaRescanner;
  readonly dispatcher: OutboundDispatcher;
  readonly sendService: SendService;
  /** Uploads checked by their bytes, and who may send or download each file. */
  readonly outboundMedia: OutboundMedia;
  readonly identity: IdentityServices;
  readonly views: InboxViews;
  /** Internal notes: shown to those who may see their conversation, never sent to the customer. */
  readonly notes: NoteViews;
  readonly noteService: NoteService;
  readonly eventFeed: EventFeed;
  /** Timed jobs: features register their kinds here and schedule in their own transactions. */
  readonly jobs: JobRunner;
  /** Who is connected, online and in which conversation (the shared state behind it). */
  readonly presence: DeskPresence;
  /** The customer sees the agent typing (Meta's typing indicator). */
  readonly customerTyping: CustomerTyping;
  /** Which agent of its team holds a conversation: capacity, round robin, the queue, the offline requeue. */
  readonly router: Router;
  /** The safety policy (read on every use, changed by admins) and what every rule calls when it acts (counted and audited). */
  readonly safety: { readonly policies: SafetyPolicies; readonly actions: SafetyActions };
  /** The security briefing: its versions, each agent's acknowledgement, the inbox routes' gate. */
  readonly briefings: Briefings;
  /** The payment provider of agents' payment links (its Stripe key sealed under the server key). */
  readonly payments: PaymentProviderSettings;
  /** The client API's routes: each route of the contract with its handler (for the OpenAPI document and route tests). */
  readonly apiRoutes: readonly AnyApiRoute[];
  readonly log: Logger;
}

/** Built and not listening: every route answers `app.inject`; no port is open and no timer runs. */
export interface BuiltInboxServer extends InboxServerParts {
  /** Starts the audit checkpoints and the /metrics listener, listens on the configured port, then starts the workers. Once. */
  listen(): Promise<InboxServer>;
  /** Stops whatever was started and closes the app and the store. */
  close(): Promise<void>;
}

export interface InboxServer extends InboxServerParts {
  /** http://host:port of the listening server. */
  readonly url: string;
  /** http://host:port of the /metrics listener, apart from the public one. */
  readonly metricsUrl: string;
  readonly webhookUrl: string;
  close(): Promise<void>;
}

/** Builds the server and listens: what server/main.ts, most tests and the benchmarks want. */
export async function startInboxServer(options: InboxServerOptions): Promise<InboxServer> {
  return (await buildInboxServer(options)).listen();
}

export async function buildInboxServer(options: InboxServerOptions): Promise<BuiltInboxServer> {
  const { config, channel } = options;
  const log = options.logger ?? pino(loggerOptions(config.logLevel));
  const metrics = new ServerMetrics();
  const database = await openDatabase(config.dataDir, config.databaseUrl);
  const { db } = database;
  const now = options.now ?? Date.now;
  const serverKey = loadServerKey(config.identity.serverKey, config.dataDir);
  if (serverKey.generated) log.warn({ file: serverKey.file }, 'generated a server key into the data dir (sandbox); set SPORTELLO_SERVER_KEY in production');
  const checkpoints = serverCheckpoints(
    { db, key: serverKey.key, file: config.auditCheckpointFile, now },
    log.child({ component: 'audit' }),
    metrics,
    options.auditCheckpoints,
  );
  /** Run after every commit: the event feed delivers what the commit added. */
  const afterCommit: Array<() => void> = [];
  const committer = new GroupCommitter(db, {
    onBatchCommitted: (size, ms) => {
      metrics.commitBatchSize.observe(size);
      metrics.commitSeconds.observe(ms / 1000);
      for (const listener of afterCommit) listener();
    },
    auditKey: serverKey.key,
    onAuditCommitted: () => checkpoints.poke(),
  });
  const extraSeeds = options.seedNumbers ?? [];
  const firstSeed = extraSeeds.find((seed) => seed.phoneNumberId === channel.phoneNumberId);
  await seedNumbers(
    committer,
    serverKey.key,
    [
      { ...firstSeed, phoneNumberId: channel.phoneNumberId, accessToken: channel.accessToken, appSecret: undefined },
      ...extraSeeds.filter((seed) => seed.phoneNumberId !== channel.phoneNumberId),
    ],
    now(),
  );
  const numbers = await BusinessNumbers.load({
    db,
    committer,
    key: serverKey.key,
    defaultAppSecret: channel.appSecret,
    graphApi: { graphApiUrl: channel.graphApiUrl, graphApiVersion: channel.graphApiVersion },
    metrics,
    log: log.child({ component: 'numbers' }),
  });
  const mediaStore = new MediaStore(config.dataDir);
  // The safety policy is built below; the scans read it only once the server runs.
  const policy = () => safety.policies.policy();
  const scanner = new FileScanner(config.scanner, log.child({ component: 'scanning' }), options.scanner);
  const mediaScans = new MediaScans({
    db,
    committer,
    store: mediaStore,
    scanner,
    policy,
    counted: (entry) => safety.actions.counted(entry),
    log: log.child({ component: 'scanning' }),
    now,
  });
  const mediaRescanner = new MediaRescanner({ db, scans: mediaScans, committer, policy, log: log.child({ component: 'scanning' }) });
  const mediaFetcher = new MediaFetcher(
    { db, committer, numbers, store: mediaStore, scans: mediaScans, metrics, log: log.child({ component: 'media' }) },
    options.mediaFetcher,
  );
  const dispatcher = new OutboundDispatcher(
    { db, committer, numbers, media: mediaStore, metrics, log: log.child({ component: 'sending' }), limits: config.sending },
    options.dispatcher,
  );
  numbers.onChange(() => dispatcher.wake());
  const outboundMedia = new OutboundMedia({
    db,
    committer,
    store: mediaStore,
    scanner,
    policy,
    record: (entry) => safety.actions.record(entry),
    now: options.now,
  });
  const views = new InboxViews(db);
  const notes = new NoteViews(db);
  const feed = new EventFeed(
    {
      db,
      committer,
      sequencer: database.feedSequencer,
      views,
      notes,
      log: log.child({ component: 'events' }),
      metrics,
      now,
      numbers: () => masking.policy(),
    },
    options.eventFeed,
  );
  afterCommit.push(() => feed.committed());
  // Another replica's commits wake this feed at once (PostgreSQL LISTEN/NOTIFY; nothing on SQLite).
  const wakeups = feedWakeups(config.databaseUrl, database.feedSequencer, feed, log.child({ component: 'events' }));
  const policyWatch = new VersionWatch(feed, log.child({ component: 'safety' }));
  const safety = {
    policies: new SafetyPolicies({ db, committer, log: log.child({ component: 'safety' }), now, changed: (version) => policyWatch.moved(version) }),
    actions: new SafetyActions({ committer, metrics, now }),
  };
  policyWatch.watch({
    event: (version) => ({ type: 'safety_policy_changed', version }),
    read: async () => (await safety.policies.current()).version,
    pollMs: options.eventFeed?.pollMs,
  });
  const briefingWatch = new VersionWatch(feed, log.child({ component: 'briefing' }));
  const briefings = new Briefings({
    db,
    committer,
    now,
    renewAfterDays: async () => (await safety.policies.policy()).briefing.renewAfterDays,
    actions: safety.actions,
    published: (version) => briefingWatch.moved(version),
  });
  const inboxGate = (principal: SessionPrincipal) => briefings.gate(principal);
  const gateRecheck = new GateRecheck({ feed, gate: inboxGate, log: log.child({ component: 'briefing' }), everyMs: options.eventFeed?.gateRecheckMs });
  briefingWatch.watch({
    event: (version) => ({ type: 'briefing_published', version }),
    read: () => briefings.versionInForce(),
    pollMs: options.eventFeed?.pollMs,
    told: () => void gateRecheck.recheck(),
  });
  // Customers' numbers leave the server masked by the policy, in every answer and feed frame (server/masking/).
  const masking = new CustomerNumberMasking(async () => (await safety.policies.policy()).maskedNumbers);
  const cards = new CardGuard(safety);
  const links = new LinkGuard(safety);
  const sendService = new SendService({
    committer,
    media: outboundMedia,
    dispatcher,
    numbers,
    metrics,
    cards,
    codes: new CodeGuard(safety),
    links,
    groups: new GroupGuard(safety),
    personalData: new PersonalDataGuard(safety),
    templates: new TemplateSendCheck(safety),
    now: options.now,
  });

  const paymentSettings = new PaymentProviderSettings({ db, committer, key: serverKey.key, now });
  const noteService = new NoteService({ db, committer, views, notes, cards, now });
  const shared = options.sharedState ?? inProcessSharedState({ ...options.presence, now });
  const jobs = new JobRunner({ db, committer, wakeups: shared.wakeups, metrics, log: log.child({ component: 'jobs' }) }, { now, ...options.jobs });
  afterCommit.push(() => jobs.committed());
  // A snooze's end is a job of the runner (server/inbox/snooze-wakeups.ts).
  jobs.register(snoozeEndKind);
  // An away message is one too (server/hours/away-message.ts), scheduled by the webhook's transaction.
  jobs.register(awayMessageKind({ numbers, dispatcher }));
  // The periodic rescan of stored files (server/jobs/media-rescan.ts).
  jobs.register(mediaRescanner.kind());
  // Message templates synced from Meta, and their scheduled sync (server/templates/).
  const templates = templateServices({ db, committer, numbers, views, sockets: feed, log, now });
  const templateSync = new TemplateSyncSchedule({ syncer: templates.syncer, log });
  const analyticsFold = new AnalyticsFold({ db, now });
  // A send Meta refused as paused or disabled changes the stored template: announced as a webhook's change is.
  dispatcher.on('templatesChanged', (ids) => templates.announcer.announce(ids));
  jobs.register(templateSync.kind());
  // The daily backup, when a key and a directory are configured (server/backup/, docs/backups.md).
  const backups = dailyBackups({ config, committer, metrics, log: log.child({ component: 'backup' }), now });
  if (backups !== undefined) jobs.register(backups.kind());
  // Scheduled messages and reminders (server/schedule/): job kinds of the runner, and the sender of due messages.
  const schedule = scheduleFeature({ db, committer, views, jobs, sendService, cards, links, safety, log: log.child({ component: 'schedule' }), now });
  const customerTyping = new CustomerTyping({ db, numbers, metrics, log: log.child({ component: 'typing' }), now }, options.customerTyping);
  const presence = new DeskPresence({ db, committer, shared, views, sockets: feed, customerTyping, log: log.child({ component: 'presence' }), now });
  // Assignment within a team (server/assignment/): it registers the offline requeue's job kind.
  const router = new Router({ committer, online: shared.online, jobs, log: log.child({ component: 'routing' }), now }, options.routing);
  let listeningUrl = '';
  const publicUrl = () => config.identity.publicUrl ?? listeningUrl;
  const identity = createIdentityServices({ db, committer, key: serverKey.key, identity: config.identity, publicUrl, security: feed, now, routing: router });
  const { credentials } = identity;
  // The decoy hash for unknown usernames, made now so the first such login takes no longer than others.
  void unknownUserHash();
  const clientVersion = new ClientVersionGate(config.identity.minClientVersion);
  const apiRoutes: AnyApiRoute[] = bindRoutes(CLIENT_API, {
    ...identityHandlers({
      committer,
      pairing: identity.pairing,
      enrollment: identity.enrollment,
      login: identity.login,
      unlock: identity.unlock,
      clientVersion,
      now,
    }),
    ...inboxHandlers({ db, committer, now, views, sendService, outboundMedia, mediaStore, policy, snoozes: snoozeScheduler(jobs), routing: router }),
    ...noteHandlers({ views, notes, noteService }),
    ...replyHandlers({ quickReplies: new QuickReplies({ db, committer, cards, links, now }), labels: new Labels({ db, committer, views, now }) }),
    // An unassigned conversation waits in its team's queue; the assignment engine's "room appeared" goes in `queued`.
    ...handoverHandlers(new HandoverService({ db, committer, views, now, routing: router })),
    ...blockHandlers(new BlockService({ db, committer, views, numbers, now })),
    ...personalDataHandlers(new PersonalDataService({ db, committer, views, actions: safety.actions, now })),
    ...adminHandlers({
      db,
      committer,
      devices: identity.devices,
      pairing: identity.pairing,
      agents: identity.agents,
      sessions: identity.sessions,
      teams: identity.teams,
      numbers: new NumberAdmin({ db, committer, key: serverKey.key, now, changed: () => numbers.refresh() }),
      now,
    }),
    ...presenceHandlers({ db, presence }),
    ...hoursHandlers({ db, committer, cards, links, now }),
    ...routingHandlers(new RoutingAdmin({ db, committer, now })),
    ...supervisionHandlers({ db, views, presence }),
    ...analyticsHandlers({
      db,
      committer,
      now,
      reader: new AnalyticsReader({ db, now, fold: analyticsFold, templateCategory: options.templateCategory ?? storedTemplateCategory(db) }),
    }),
    ...eventsHandlers({ db, committer, feed, presence, now, inboxGate }),
    ...safetyHandlers(safety.policies),
    ...briefingHandlers(briefings),
    ...templateHandlers(templates),
    ...paymentHandlers(
      paymentSettings,
      new PaymentRequests({
        db,
        committer,
        views,
        settings: paymentSettings,
        stripe: new StripePaymentLinks(options.stripeApiUrl),
        sendService,
        cards,
        links,
        now,
      }),
    ),
    ...scheduleHandlers({ db, views, service: schedule.service }),
    ...numberHandlers(new NumberReveal({ committer, views, counted: (entry) => safety.actions.counted(entry), now })),
  });

  const loggerInstance: FastifyBaseLogger = log;
  const scannerHealth = new ScannerHealth(config.scanner, log);
  const https = config.tls === undefined ? null : { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) };
  const app = Fastify({
    loggerInstance,
    https,
    // One line per request costs more than the webhook itself at Meta's rates: outcomes go to /metrics instead.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(config.trustedProxies ?? []),
  });
  await app.register(
    operationsRoutes({
      db,
      sandbox: config.sandbox !== undefined,
      channelState: () => (numbers.lines().some((line) => line.health.state === 'needs_reauthorization') ? 'needs_reauthorization' : 'ok'),
      scannerState: () => scannerHealth.state(),
    }),
  );
  await app.register(
    webhookRoutes({
      numbers,
      verifyToken: channel.verifyToken,
      committer,
      metrics,
      routing: router,
      safety: { policy: () => safety.policies.policy(), counted: (entry) => safety.actions.counted(entry) },
      now: options.now,
      customerWrote: awayMessageOnCustomerWrite(jobs),
      onApplied: (applied) => {
        if (applied.mediaQueued > 0) mediaFetcher.wake();
        templates.announcer.announce(applied.templatesChanged);
      },
    }),
  );

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `There is no ${request.method} ${request.url.split('?')[0]} on this server.` } }),
  );
  await app.register(rateLimit, { global: false });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register((api: FastifyInstance, _options: unknown, done: (error?: Error) => void) => {
    api.addHook('onRequest', clientVersion.onRequest);
    api.addHook('onSend', (_request, reply, payload, next) => {
      reply.header('x-content-type-options', 'nosniff');
      if (https !== null) reply.header('strict-transport-security', 'max-age=31536000');
      next(null, payload);
    });
    registerApiRoutes(api, apiRoutes, { db, now, inboxGate, masking });
    const openApi = openApiDocument(apiRoutes, { version: '1' });
    api.get('/v1/openapi.json', (_request, reply) => reply.send(openApi));
    done();
  });
  // The pairing approval page for an admin's phone (server-rendered forms, its own headers and parser).
  await app.register(approvalPageRoutes({ db, committer, key: serverKey.key, pairing: identity.pairing, credentials, tls: https !== null, publicUrl, now }));

  const parts: InboxServerParts = {
    app,
    database,
    committer,
    metrics,
    numbers,
    mediaStore,
    mediaFetcher,
    mediaScans,
    mediaRescanner,
    dispatcher,
    sendService,
    outboundMedia,
    identity,
    views,
    notes,
    noteService,
    eventFeed: feed,
    jobs,
    presence,
    customerTyping,
    router,
    safety,
    briefings,
    payments: paymentSettings,
    apiRoutes,
    log,
  };
  let listening: { readonly metricsListener: MetricsListener } | undefined;
  let listened = false;

  async function close(): Promise<void> {
    if (listening === undefined) {
      await app.close();
      await committer.close();
      await database.close();
      return;
    }
    router.stop();
    policyWatch.stop();
    briefingWatch.stop();
    gateRecheck.stop();
    feed.stop();
    await wakeups.stop();
    presence.stop();
    numbers.stop();
    templates.syncer.stop();
    await Promise.all([app.close(), listening.metricsListener.close()]);
    await analyticsFold.close();
    await Promise.all([mediaFetcher.stop(), mediaRescanner.stop(), dispatcher.stop(), jobs.stop(), schedule.sender.stop()]);
    await committer.close();
    await checkpoints.stop();
    await database.close();
  }

  async function listen(): Promise<InboxServer> {
    if (listened) throw new Error('this inbox server was already asked to listen');
    listened = true;
    let url: string;
    let metricsListener: MetricsListener | undefined;
    await checkpoints.start();
    try {
      metricsListener = await startMetricsListener(metrics, config.metrics, loggerInstance);
      url = await app.listen({ host: config.host, port: config.port });
      listeningUrl = url;
    } catch (error) {
      await metricsListener?.close();
      await app.close();
      await checkpoints.stop();
      await database.close();
      throw error;
    }
    listening = { metricsListener };
    await scannerHealth.announce();
    numbers.start();
    mediaFetcher.start();
    await dispatcher.start();
    feed.start();
    await wakeups.start();
    await policyWatch.start();
    await briefingWatch.start();
    gateRecheck.start();
    presence.start();
    router.start();
    await scheduleMissingSnoozeEnds(committer, jobs);
    await mediaRescanner.start(jobs, now());
    await templateSync.start(jobs, committer, now());
    await backups?.start(jobs, now());
    await schedule.sender.start();
    jobs.start();
    analyticsFold.start(ANALYTICS_FOLD_EVERY_MS, (error: unknown) => log.warn({ err: error }, 'analytics fold failed; the next tick tries again'));
    return { ...parts, url, metricsUrl: metricsListener.url, webhookUrl: `${url}${WEBHOOK_PATH}`, close };
  }

  return { ...parts, listen, close };
}
