/**
 * One PostgreSQL `LISTEN` on a dedicated connection of its own (never one of the pool's: a pooled
 * connection goes back to the pool and its LISTEN with it). Notifications from other replicas call
 * `onNotify`; those this process sent itself (their payload is its origin) are ignored, since it
 * acted on them already. A dropped connection (a PostgreSQL restart, pg_terminate_backend) is
 * opened again by itself after `retryMs`, and `onNotify` is called once it listens again, because
 * notifications sent meanwhile are lost: whoever listens reads the store afresh.
 */
import pg from 'pg';
import type { Logger } from 'pino';

export interface NotificationListener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** SQLite: one process, nothing to listen to. */
export const NO_NOTIFICATIONS: NotificationListener = { start: () => Promise.resolve(), stop: () => Promise.resolve() };

export interface PostgresNotificationListenerOptions {
  readonly databaseUrl: string;
  /** A PostgreSQL identifier: letters, digits and underscores. */
  readonly channel: string;
  /** This process's payload: notifications carrying it are its own. */
  readonly origin: string;
  readonly onNotify: () => void;
  readonly log: Logger;
  readonly retryMs?: number;
}

/** How the listeners' connections show in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'sportello-listener';

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

export class PostgresNotificationListener implements NotificationListener {
  readonly #options: PostgresNotificationListenerOptions;
  readonly #retryMs: number;
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: PostgresNotificationListenerOptions) {
    if (!CHANNEL_NAME.test(options.channel)) throw new RangeError(`not a channel name: ${options.channel}`);
    this.#options = options;
    this.#retryMs = options.retryMs ?? 1000;
  }

  /** Listens before it resolves (a first connection that fails is retried in the background). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const { databaseUrl, channel, origin, onNotify, log } = this.#options;
    const client = new pg.Client({ connectionString: databaseUrl, application_name: LISTENER_APPLICATION_NAME });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      void client.end().catch(() => undefined);
      if (this.#stopped) return;
      log.warn({ err: error, channel }, 'notification listener lost its connection; reconnecting');
      this.#scheduleRetry();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== origin) onNotify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.#stopped) {
      lost = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    // What was notified while nobody listened (before the first connection, or during an outage).
    onNotify();
  }

  #scheduleRetry(): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#connect(), this.#retryMs);
    this.#retry.unref();
  }
}
