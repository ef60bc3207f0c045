/**
 * Assembles the inbox server from its parts (store, Graph client, media, sending, HTTP routes)
 * and starts it. Used by server/main.ts, the tests and the benchmarks alike.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import type { ServerConfig, WhatsAppChannel } from '../config/load-config.js';
import { ChannelHealth } from '../cloud-api/channel-health.js';
import { GraphClient } from '../cloud-api/graph-client.js';
import { loggerOptions } from '../http/logging.js';
import { operationsRoutes } from '../http/operations-routes.js';
import { MediaFetcher } from '../media/media-fetcher.js';
import type { MediaFetcherOptions } from '../media/media-fetcher.js';
import { MediaStore } from '../media/media-store.js';
import { ServerMetrics } from '../metrics/server-metrics.js';
import { OutboundDispatcher } from '../sending/outbound-dispatcher.js';
import type { DispatcherOptions } from '../sending/outbound-dispatcher.js';
import { SendService } from '../sending/send-service.js';
import { GroupCommitter } from '../store/group-commit.js';
import { openDatabase } from '../store/open-database.js';
import type { OpenedDatabase } from '../store/open-database.js';
import { WEBHOOK_PATH, webhookRoutes } from '../webhooks/webhook-routes.js';

export interface InboxServerOptions {
  readonly config: Omit<ServerConfig, 'channel'>;
  readonly channel: WhatsAppChannel;
  readonly logger?: Logger;
  readonly dispatcher?: DispatcherOptions;
  readonly mediaFetcher?: MediaFetcherOptions;
  readonly now?: () => number;
}

export interface InboxServer {
  readonly app: FastifyInstance;
  /** http://host:port of the listening server. */
  readonly url: string;
  readonly webhookUrl: string;
  readonly database: OpenedDatabase;
  readonly committer: GroupCommitter;
  readonly metrics: ServerMetrics;
  readonly channelHealth: ChannelHealth;
  readonly mediaStore: MediaStore;
  readonly mediaFetcher: MediaFetcher;
  readonly dispatcher: OutboundDispatcher;
  readonly sendService: SendService;
  readonly log: Logger;
  close(): Promise<void>;
}

export async function startInboxServer(options: InboxServerOptions): Promise<InboxServer> {
  const { config, channel } = options;
  const log = options.logger ?? pino(loggerOptions(config.logLevel));
  const metrics = new ServerMetrics();
  const database = await openDatabase(config.dataDir);
  const { db } = database;
  const committer = new GroupCommitter(db, {
    onBatchCommitted: (size, ms) => {
      metrics.commitBatchSize.observe(size);
      metrics.commitSeconds.observe(ms / 1000);
    },
  });
  const channelHealth = await ChannelHealth.load(db, committer, metrics, channel.phoneNumberId, channel.accessToken);
  const graph = new GraphClient(channel);
  const mediaStore = new MediaStore(config.dataDir);
  const mediaFetcher = new MediaFetcher({ db, committer, graph, store: mediaStore, metrics, log: log.child({ component: 'media' }) }, options.mediaFetcher);
  const dispatcher = new OutboundDispatcher(
    { db, committer, graph, media: mediaStore, channel: channelHealth, metrics, log: log.child({ component: 'sending' }), limits: config.sending },
    options.dispatcher,
  );
  const sendService = new SendService({ committer, media: mediaStore, dispatcher, channel: channelHealth, metrics, phoneNumberId: channel.phoneNumberId, now: options.now });

  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    // One line per request costs more than the webhook itself at Meta's rates: outcomes go to /metrics instead.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
  });
  await app.register(operationsRoutes({ db, metrics, sandbox: config.sandbox !== undefined, channelState: () => channelHealth.state }));
  await app.register(
    webhookRoutes({
      appSecret: channel.appSecret,
      verifyToken: channel.verifyToken,
      committer,
      metrics,
      now: options.now,
      onApplied: (applied) => {
        if (applied.mediaQueued > 0) mediaFetcher.wake();
      },
    }),
  );

  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await database.close();
    throw error;
  }
  mediaFetcher.start();
  await dispatcher.start();

  return {
    app,
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    database,
    committer,
    metrics,
    channelHealth,
    mediaStore,
    mediaFetcher,
    dispatcher,
    sendService,
    log,
    async close() {
      await app.close();
      await Promise.all([mediaFetcher.stop(), dispatcher.stop()]);
      await committer.idle();
      await database.close();
    },
  };
}
