/**
 * The inbox gate (the security briefing acknowledged) holds for sockets already open, not only
 * for new ones: when a new briefing version is in force, and every `everyMs` for renewals that
 * fall due, each open socket's principal passes the gate again, and a socket whose agent is now
 * refused is closed with `briefingRequired`. Without this an agent who had not acknowledged the
 * new version would keep receiving every conversation's events on the socket opened before it.
 */
import type { Logger } from 'pino';
import { EVENTS_CLOSE } from '../../common/api/events.js';
import { isCodedError } from '../../common/errors/coded-error.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { EventFeed } from './event-feed.js';

export interface GateRecheckDeps {
  readonly feed: Pick<EventFeed, 'principals' | 'closeFor'>;
  /** Throws `briefing_acknowledgement_required` for a principal that may not read the inbox now. */
  readonly gate: (principal: SessionPrincipal) => Promise<void>;
  readonly log: Logger;
  /** How often open sockets are checked for renewals that fell due. */
  readonly everyMs?: number;
}

const REFUSED = 'briefing_acknowledgement_required';

export class GateRecheck {
  readonly #deps: GateRecheckDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(deps: GateRecheckDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#timer = setInterval(() => void this.recheck(), this.#deps.everyMs ?? 60_000);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Checks every open socket now (a check asked for while one runs runs once more after it). */
  recheck(): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.recheck();
      }
    });
    return this.#running;
  }

  async #pass(): Promise<void> {
    const { feed, gate, log } = this.#deps;
    const checked = new Set<number>();
    for (const principal of feed.principals()) {
      if (checked.has(principal.sessionId)) continue;
      checked.add(principal.sessionId);
      try {
        await gate(principal);
      } catch (error) {
        if (isCodedError(error) && error.code === REFUSED) {
          feed.closeFor(principal.sessionId, EVENTS_CLOSE.briefingRequired, 'briefing acknowledgement required');
          log.info({ agentId: principal.agentId, sessionId: principal.sessionId }, 'feed closed until the briefing is acknowledged');
        } else {
          log.error({ err: error, sessionId: principal.sessionId }, 'briefing recheck of an open feed failed');
        }
      }
    }
  }
}
