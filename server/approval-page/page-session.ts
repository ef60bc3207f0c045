/**
 * The approval page's sessions and CSRF tokens. A session is an ordinary session row of kind
 * `approval_page` (no device), its opaque token in the page's cookie and only its hash in the
 * store, checked on every request like any other. The CSRF token is a synchronizer token: random,
 * sent in the page's forms, only its keyed hash in `csrf_hash`. It is renewed each time a page with
 * forms is shown (the server cannot show a token it keeps only hashed), so the newest page's forms
 * are the ones that work; an older tab gets a 403 that says to open the page again.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { ServerKey } from '../secrets/server-key.js';
import { checkAccessToken, endSessions, openSession } from '../sessions/session-store.js';
import type { IssuedTokens, SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { PAGE_SESSION_LIFETIME_MS } from './page-cookie.js';

const PAGE_TOKEN = /^sp_[A-Za-z0-9_-]{43}$/;
const CSRF_PURPOSE = 'approval_page.csrf';

/** none: no cookie worth looking up; ended: a page session that is over (expired, logged out, no longer an admin). */
export type PageSessionLookup = { readonly state: 'none' } | { readonly state: 'ended' } | { readonly state: 'admin'; readonly principal: SessionPrincipal };

export interface PageSessionDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly now: () => number;
}

export class PageSessions {
  readonly #deps: PageSessionDeps;

  constructor(deps: PageSessionDeps) {
    this.#deps = deps;
  }

  /** Inside the login's transaction. The first page shown issues the CSRF token. */
  open(trx: StoreTransaction, agentId: number, sourceAddress: string, now: number): Promise<IssuedTokens> {
    return openSession(trx, { kind: 'approval_page', agentId, deviceId: null, sourceAddress, lifetimeMs: PAGE_SESSION_LIFETIME_MS, now });
  }

  async find(token: string | undefined): Promise<PageSessionLookup> {
    if (token === undefined || !PAGE_TOKEN.test(token)) return { state: 'none' };
    const check = await checkAccessToken(this.#deps.db, token, this.#deps.now());
    if (!check.ok) return { state: 'ended' };
    if (check.principal.kind !== 'approval_page') return { state: 'none' };
    if (!check.principal.roles.includes('admin')) return { state: 'ended' };
    return { state: 'admin', principal: check.principal };
  }

  /** A new CSRF token for the page about to be shown; the previous one stops working. */
  async issueCsrfToken(sessionId: number): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    const csrfHash = this.#deps.key.mac(CSRF_PURPOSE, token);
    await this.#deps.committer.submit((trx) => trx.updateTable('sessions').set({ csrf_hash: csrfHash }).where('id', '=', sessionId).execute());
    return token;
  }

  /** Whether `submitted` is the session's current CSRF token (compared in constant time). */
  async csrfMatches(sessionId: number, submitted: string): Promise<boolean> {
    const row = await this.#deps.db.selectFrom('sessions').select('csrf_hash').where('id', '=', sessionId).executeTakeFirst();
    return this.#deps.key.macMatches(CSRF_PURPOSE, submitted, row?.csrf_hash ?? null);
  }

  async end(principal: SessionPrincipal, sourceAddress: string): Promise<void> {
    const now = this.#deps.now();
    await this.#deps.committer.submit(async (trx) => {
      await endSessions(trx, { sessionId: principal.sessionId }, 'logged_out', now);
      await appendAudit(
        trx,
        {
          event: 'approval_page.logout',
          outcome: 'ok',
          actor: `agent:${principal.agentId}:${principal.username}`,
          agentId: principal.agentId,
          sourceAddress,
          details: { sessionId: principal.sessionId },
        },
        now,
      );
    });
  }
}
