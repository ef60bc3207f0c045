/**
 * The logged-in session, held in main's memory only (never on disk, never in the renderer):
 * hands out a current access token, refreshing it with a device proof shortly before it
 * expires, once even when many calls ask at the same moment.
 */
import type { SessionGrant } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

export class SessionKeeper {
  #grant: SessionGrant | undefined;
  #refreshing: Promise<SessionGrant> | undefined;
  readonly #refresh: (refreshToken: string) => Promise<SessionGrant>;
  readonly #now: () => number;

  constructor(refresh: (refreshToken: string) => Promise<SessionGrant>, now: () => number) {
    this.#refresh = refresh;
    this.#now = now;
  }

  get grant(): SessionGrant | undefined {
    return this.#grant;
  }

  set(grant: SessionGrant): void {
    this.#grant = grant;
  }

  clear(): void {
    this.#grant = undefined;
    this.#refreshing = undefined;
  }

  async accessToken(): Promise<string> {
    const grant = this.#grant;
    if (grant === undefined) throw new CodedError('signed_out', 'Sign in first.');
    if (grant.accessExpiresAt - this.#now() > REFRESH_MARGIN_MS) return grant.accessToken;
    return (await this.refreshNow()).accessToken;
  }

  /** A new token pair now (also after the server said the access token expired). */
  refreshNow(): Promise<SessionGrant> {
    const grant = this.#grant;
    if (grant === undefined) return Promise.reject(new CodedError('signed_out', 'Sign in first.'));
    this.#refreshing ??= this.#refresh(grant.refreshToken)
      .then((next) => {
        if (this.#grant === grant) this.#grant = next;
        return next;
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }
}
