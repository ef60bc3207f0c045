/**
 * Tells the server which conversation this workstation shows and whether its agent is typing in
 * it, so the other agents who may see it know (common/api/presence.ts). Reports are sent at once
 * when what they say changes, renewed while it holds (the server forgets one not renewed within
 * its expiry, so a crashed app's presence goes by itself), and never queued: while the server
 * cannot be reached or the screen is locked nothing is sent, and the state as it is then is sent
 * when it can be again. Keystrokes are debounced: typing is reported when it starts, renewed every
 * few seconds while keys come, and ended a few seconds after the last.
 */
import type { PresenceReport } from '../../common/api/presence.js';
import { PRESENCE_EXPIRY_MS } from '../../common/api/presence.js';
import { isCodedError } from '../../common/errors/coded-error.js';

export interface PresenceReporterDeps {
  /** Sends one report (with the session's token). */
  send(report: PresenceReport): Promise<void>;
  /** Online and not locked: reports may go. */
  canSend(): boolean;
}

export interface PresenceReporterOptions {
  /** How often a standing report is renewed (well inside the server's viewing expiry). */
  readonly renewMs?: number;
  /** While keys keep coming, typing is renewed this often (inside the server's typing expiry). */
  readonly typingRenewMs?: number;
  /** Typing ends this long after the last key. */
  readonly typingIdleMs?: number;
  readonly now?: () => number;
}

export class PresenceReporter {
  readonly #deps: PresenceReporterDeps;
  readonly #renewMs: number;
  readonly #typingRenewMs: number;
  readonly #typingIdleMs: number;
  readonly #now: () => number;
  #viewing: number | null = null;
  #typing = false;
  #typingSentAt = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  /** What the server was last told (undefined: nothing yet, or it may have forgotten). */
  #told: PresenceReport | undefined;
  #sending: Promise<void> | undefined;
  #sendAgain = false;
  #stopped = false;

  constructor(deps: PresenceReporterDeps, options: PresenceReporterOptions = {}) {
    this.#deps = deps;
    this.#renewMs = options.renewMs ?? PRESENCE_EXPIRY_MS.viewing / 3;
    this.#typingRenewMs = options.typingRenewMs ?? PRESENCE_EXPIRY_MS.typing / 2;
    this.#typingIdleMs = options.typingIdleMs ?? (PRESENCE_EXPIRY_MS.typing * 2) / 3;
    this.#now = options.now ?? Date.now;
  }

  get viewing(): number | null {
    return this.#viewing;
  }

  start(): void {
    this.#renewTimer ??= setInterval(() => {
      if (this.#viewing !== null) this.#flush(true);
    }, this.#renewMs);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#renewTimer !== undefined) clearInterval(this.#renewTimer);
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#renewTimer = undefined;
    this.#idleTimer = undefined;
  }

  /** The workstation now shows this conversation (null: none). */
  view(conversationId: number | null): void {
    if (conversationId === this.#viewing) return;
    this.#viewing = conversationId;
    this.#endTyping(false);
    this.#flush(false);
  }

  /** A key was typed in the composer of the conversation shown. */
  keyTyped(conversationId: number): void {
    if (conversationId !== this.#viewing) return;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#endTyping(true), this.#typingIdleMs);
    const now = this.#now();
    if (!this.#typing) {
      this.#typing = true;
      this.#typingSentAt = now;
      this.#flush(false);
    } else if (now - this.#typingSentAt >= this.#typingRenewMs) {
      this.#typingSentAt = now;
      this.#flush(true);
    }
  }

  /** The message went: the agent is no longer typing. */
  sent(conversationId: number): void {
    if (conversationId === this.#viewing) this.#endTyping(true);
  }

  /** The conversation left this agent (another took it): it is no longer shown here. */
  hidden(conversationId: number): void {
    if (conversationId === this.#viewing) this.view(null);
  }

  /** The server may have forgotten what it was told (a locked screen, a reconnect): tell it again when it can hear. */
  forgotten(): void {
    this.#told = undefined;
    this.#flush(false);
  }

  #endTyping(report: boolean): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (!this.#typing) return;
    this.#typing = false;
    if (report) this.#flush(false);
  }

  /** Sends the state as it is now, unless the server already has it (`renew`: send it again all the same). */
  #flush(renew: boolean): void {
    if (this.#stopped || !this.#deps.canSend()) return;
    const report: PresenceReport = { conversationId: this.#viewing, typing: this.#typing };
    const told = this.#told;
    if (!renew && told?.conversationId === report.conversationId && told.typing === report.typing) return;
    // Nothing shown and nothing told: nothing to renew.
    if (renew && report.conversationId === null) return;
    if (this.#sending !== undefined) {
      this.#sendAgain = true;
      return;
    }
    this.#sending = this.#deps
      .send(report)
      .then(
        () => {
          this.#told = report;
        },
        (error: unknown) => {
          this.#told = undefined;
          // The server refuses a conversation the agent may no longer see: it is not shown here any more.
          if (isCodedError(error) && error.code === 'conversation_not_found' && this.#viewing === report.conversationId) {
            this.#viewing = null;
            this.#typing = false;
          }
        },
      )
      .finally(() => {
        this.#sending = undefined;
        if (this.#sendAgain) {
          this.#sendAgain = false;
          this.#flush(false);
        }
      });
  }
}
