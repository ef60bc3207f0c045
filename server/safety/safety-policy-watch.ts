/**
 * Tells every connected workstation when the safety policy's version moves: at once for a change
 * this process made (SafetyPolicies' `changed`), and within a poll for one another process made
 * (the admin CLI, another replica), which this finds by reading the policy's row.
 */
import type { Logger } from 'pino';
import type { EventFeed } from '../events/event-feed.js';
import type { SafetyPolicies } from './safety-policies.js';

export class SafetyPolicyWatch {
  readonly #feed: Pick<EventFeed, 'sendToAll'>;
  readonly #log: Logger;
  readonly #pollMs: number;
  #policies: Pick<SafetyPolicies, 'current'> | undefined;
  #told = -1;
  #timer: NodeJS.Timeout | undefined;

  constructor(feed: Pick<EventFeed, 'sendToAll'>, log: Logger, pollMs = 1000) {
    this.#feed = feed;
    this.#log = log;
    this.#pollMs = pollMs;
  }

  /** The policies to poll (they are built with this watch's `changed`). */
  watch(policies: Pick<SafetyPolicies, 'current'>): void {
    this.#policies = policies;
  }

  /** The version now in force: told to every socket unless it was told already. */
  changed(version: number): void {
    if (version === this.#told) return;
    this.#told = version;
    this.#feed.sendToAll({ type: 'safety_policy_changed', version });
  }

  async start(): Promise<void> {
    // The version at start is no news: sockets that connect read the policy anyway.
    this.#told = (await this.#policies?.current())?.version ?? -1;
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    try {
      const current = await this.#policies?.current();
      if (current !== undefined) this.changed(current.version);
    } catch (error) {
      this.#log.error({ err: error }, 'safety policy poll failed');
    }
  }
}
