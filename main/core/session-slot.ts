/**
 * Where the signed-in session lives: one at a time, opened and closed in turn. Opening a
 * session's cache (in its worker) and closing it take time, so the slot keeps the turn: an open
 * waits for the last close, and `end()` resolves once the cache's files are free to erase (a file
 * may not be erased under an open database; Windows refuses). Ending while a session is still
 * opening cancels it: it closes as soon as it is open, and never becomes current.
 */
import { CodedError } from '../../common/errors/coded-error.js';
import type { AgentSession } from './agent-session.js';

const noop = () => undefined;

export class SessionSlot {
  #current: AgentSession | undefined;
  #opening: { cancelled: boolean; readonly session: Promise<AgentSession> } | undefined;
  #turn: Promise<void> = Promise.resolve();

  /** The signed-in session; undefined while nobody is (or one is still opening). */
  get current(): AgentSession | undefined {
    return this.#current;
  }

  /** Opens a session once the last one has closed; it becomes current unless `end()` came meanwhile. */
  async open(open: () => Promise<AgentSession>): Promise<AgentSession> {
    const opening = { cancelled: false, session: this.#turn.then(open) };
    this.#opening = opening;
    this.#turn = opening.session.then(noop, noop);
    let session: AgentSession;
    try {
      session = await opening.session;
    } finally {
      if (this.#opening === opening) this.#opening = undefined;
    }
    // A revocation, the update screen or quitting came while the cache opened: end() closes it.
    if (opening.cancelled) throw new CodedError('signed_out', 'The sign-in was interrupted: sign in again.');
    this.#current = session;
    return session;
  }

  /** The session (and one still opening) ends now; resolves once its cache is closed. */
  end(): Promise<void> {
    const session = this.#current;
    const opening = this.#opening;
    this.#current = undefined;
    this.#opening = undefined;
    if (opening !== undefined) {
      opening.cancelled = true;
      this.#turn = opening.session.then((opened) => opened.dispose(), noop);
    }
    if (session !== undefined) this.#turn = this.#turn.then(() => session.dispose()).then(noop, noop);
    return this.#turn;
  }

  /** Resolves once whatever is opening or closing now has done so. */
  settled(): Promise<void> {
    return this.#turn;
  }
}
