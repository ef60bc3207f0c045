/**
 * Tells every connected workstation when the security briefing's version moves: at once for a
 * version this process published (Briefings' `published`), and within a poll for one another
 * process published (the admin CLI, another replica), which this finds by reading the newest
 * version's number.
 */
import type { Logger } from 'pino';
import type { EventFeed } from '../events/event-feed.js';
import type { Briefings } from './briefings.js';

export class BriefingWatch {
  readonly #feed: Pick<EventFeed, 'sendToAll'>;
  readonly #log: Logger;
  readonly #pollMs: number;
  #briefings: Pick<Briefings, 'versionInForce'> | undefined;
  #told = -1;
  #timer: NodeJS.Timeout | undefined;

  constructor(feed: Pick<EventFeed, 'sendToAll'>, log: Logger, pollMs = 1000) {
    this.#feed = feed;
    this.#log = log;
    this.#pollMs = pollMs;
  }

  /** The briefings to poll (they are built with this watch's `published`). */
  watch(briefings: Pick<Briefings, 'versionInForce'>): void {
    this.#briefings = briefings;
  }

  /** The version now in force: told to every socket unless it was told already. */
  published(version: number): void {
    if (version === this.#told) return;
    this.#told = version;
    this.#feed.sendToAll({ type: 'briefing_published', version });
  }

  async start(): Promise<void> {
    // The version at start is no news: a workstation asks where its agent stands at sign-in.
    this.#told = (await this.#briefings?.versionInForce()) ?? -1;
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    try {
      const version = await this.#briefings?.versionInForce();
      if (version !== undefined) this.published(version);
    } catch (error) {
      this.#log.error({ err: error }, 'briefing poll failed');
    }
  }
}
