/**
 * Tells every connected workstation when a versioned document moves (the safety policy, the
 * security briefing): at once for a change this process made (`moved`), and within a poll for one
 * another process made (the admin CLI, another replica), which this finds by reading the version.
 */
import type { Logger } from 'pino';
import type { ControlEvent } from '../../common/api/events.js';
import type { EventFeed } from './event-feed.js';

export interface VersionWatchOptions {
  /** The event every socket hears when the version moves. */
  readonly event: (version: number) => ControlEvent;
  /** Reads the version in force from the store. */
  readonly read: () => Promise<number>;
  readonly pollMs?: number;
  /** Called after every socket was told of a new version (the briefing's: open sockets pass the gate again). */
  readonly told?: (version: number) => void;
}

export class VersionWatch {
  readonly #feed: Pick<EventFeed, 'sendToAll'>;
  readonly #log: Logger;
  #options: VersionWatchOptions | undefined;
  #told = -1;
  #timer: NodeJS.Timeout | undefined;

  constructor(feed: Pick<EventFeed, 'sendToAll'>, log: Logger) {
    this.#feed = feed;
    this.#log = log;
  }

  /** What to read and tell (the document is built with this watch's `moved`, so it comes after). */
  watch(options: VersionWatchOptions): void {
    this.#options = options;
  }

  /** The version now in force: told to every socket unless it was told already. */
  moved(version: number): void {
    if (version === this.#told || this.#options === undefined) return;
    this.#told = version;
    this.#feed.sendToAll(this.#options.event(version));
    this.#options.told?.(version);
  }

  async start(): Promise<void> {
    const options = this.#options;
    if (options === undefined) return;
    // The version at start is no news: a workstation reads the document when it connects.
    this.#told = await options.read();
    this.#timer = setInterval(() => void this.#poll(options), options.pollMs ?? 1000);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(options: VersionWatchOptions): Promise<void> {
    try {
      this.moved(await options.read());
    } catch (error) {
      this.#log.error({ err: error }, 'version poll failed');
    }
  }
}
