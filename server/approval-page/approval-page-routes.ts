/**
 * The pairing approval page, for an admin's phone: GET /pair?code=… shows a login form, then the
 * workstation asking to pair with Approve / Reject; POST /pair/login, /pair/decide and
 * /pair/logout take plain url-encoded forms. Registered as its own Fastify scope: it parses only
 * forms, sets its security headers on every response and answers every refusal with a page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { agentActor } from '../audit/actor.js';
import type { CredentialChecker } from '../credentials/credential-check.js';
import { PairingError } from '../devices/pairing-errors.js';
import type { PairingService } from '../devices/pairing-service.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { logInAdmin } from './admin-login.js';
import { isAllowedOrigin } from './origin-check.js';
import { clearedSessionCookie, readCookie, sessionCookie, sessionCookieName } from './page-cookie.js';
import { LoginThrottle, PAGE_LOGIN_THROTTLE } from './login-throttle.js';
import { inProcessPageThrottle, StorePageThrottle } from './shared-login-throttle.js';
import { dialectOf } from '../store/sql-dialect.js';
import { ApprovalPageError, PAGE_ERROR_STATUS } from './page-errors.js';
import type { FormField, PageErrorCode } from './page-errors.js';
import { DecideForm, FORM_BODY_LIMIT, LoginForm, LogoutForm, PairQuery, parseForm, parseUrlEncoded } from './page-forms.js';
import { PageSessions } from './page-session.js';
import type { PageSessionLookup } from './page-session.js';
import { pickLanguage, STRINGS } from './page-strings.js';
import type { PageStrings } from './page-strings.js';
import { approvalUrlPath, decidedPage, loginPage, messagePage, pairingPage, STYLESHEET_PATH } from './page-templates.js';
import type { PageContext, SignedIn } from './page-templates.js';
import { pageSecurityHeaders } from './security-headers.js';
import { STYLESHEET } from './stylesheet.js';

export interface ApprovalPageDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly pairing: PairingService;
  readonly credentials: CredentialChecker;
  /** The server runs HTTPS itself: the cookie is __Host- and Secure, and HSTS is sent. */
  readonly tls: boolean;
  /** Base URL of the approval links: the page's own origin. */
  readonly publicUrl: () => string;
  readonly now: () => number;
}

/** Login POSTs per source address per minute, whatever they hold; the page's LoginThrottle then slows guessing per address and per username. */
export const PAGE_LOGIN_RATE_LIMIT = { max: 10, timeWindow: 60_000 } as const;

function contextOf(request: FastifyRequest, signedIn?: SignedIn): PageContext {
  const language = pickLanguage(request.headers['accept-language']);
  return { t: STRINGS[language], language, signedIn };
}

function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** The submitted value of a field, when it is a short string: only ever shown back escaped. */
function submitted(body: unknown, field: string): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && value.length <= 64 ? value : undefined;
}

/** What the login form says above itself after a refused attempt. */
function loginRefusal(t: PageStrings, code: PageErrorCode, field: FormField | undefined, retryAfterSeconds: number): string {
  switch (code) {
    case 'invalid_form':
      return t.fieldHints[field ?? 'form'];
    case 'login_locked':
      return t.loginLocked;
    case 'login_throttled':
      return t.loginThrottled(retryAfterSeconds);
    case 'login_busy':
      return t.loginBusy;
    default:
      return t.loginFailed;
  }
}

export function approvalPageRoutes(deps: ApprovalPageDeps) {
  return function register(app: FastifyInstance, _options: unknown, done: (error?: Error) => void): void {
    const sessions = new PageSessions(deps);
    // Several replicas on PostgreSQL brake one guesser together (docs/replicas.md).
    const throttle =
      dialectOf(deps.db) === 'postgres'
        ? new StorePageThrottle({ committer: deps.committer, key: deps.key, policy: PAGE_LOGIN_THROTTLE })
        : inProcessPageThrottle(new LoginThrottle(PAGE_LOGIN_THROTTLE));
    const cookieName = sessionCookieName(deps.tls);
    const securityHeaders = pageSecurityHeaders(deps.tls);

    const findSession = (request: FastifyRequest): Promise<PageSessionLookup> => sessions.find(readCookie(request.headers.cookie, cookieName));
    const signedInAs = async (principal: SessionPrincipal, code: string | undefined): Promise<SignedIn> => ({
      name: `${principal.displayName} (${principal.username})`,
      csrf: await sessions.issueCsrfToken(principal.sessionId),
      code,
    });
    const requireCsrf = async (request: FastifyRequest, principal: SessionPrincipal, csrf: string): Promise<void> => {
      if (await sessions.csrfMatches(principal.sessionId, csrf)) return;
      request.log.warn({ sessionId: principal.sessionId }, 'approval page: form refused, CSRF token missing or stale');
      throw new ApprovalPageError('csrf_invalid', 'The form’s CSRF token is missing or not the current one.', 'csrf');
    };
    const sendLogin = (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      input: { code: string; username?: string | undefined; error?: string | undefined },
    ) => sendPage(reply, status, loginPage(contextOf(request), input));
    const sendCodeInvalid = (reply: FastifyReply, context: PageContext) =>
      sendPage(reply, PAGE_ERROR_STATUS.pairing_code_invalid, messagePage(context, { heading: context.t.codeInvalidHeading, text: context.t.codeInvalidText }));

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, parsed) => {
      try {
        parsed(null, parseUrlEncoded(body as string));
      } catch (error) {
        parsed(error as Error, undefined);
      }
    });

    app.addHook('onRequest', (request, _reply, next) => {
      if (
        request.method !== 'POST' ||
        isAllowedOrigin({ origin: request.headers.origin, publicUrl: deps.publicUrl(), host: request.headers.host, tls: deps.tls })
      ) {
        next();
        return;
      }
      request.log.warn({ path: request.url.split('?')[0] }, 'approval page: form refused, sent from another origin');
      next(new ApprovalPageError('origin_refused', 'The form was sent from another origin.'));
    });
    app.addHook('onSend', (_request, reply, payload, next) => {
      reply.headers(securityHeaders);
      next(null, payload);
    });

    app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
      const context = contextOf(request);
      const { t } = context;
      if (error instanceof ApprovalPageError) {
        const status = PAGE_ERROR_STATUS[error.code];
        switch (error.code) {
          case 'origin_refused':
            return sendPage(reply, status, messagePage(context, { heading: t.originHeading, text: t.originText }));
          case 'csrf_invalid':
            return sendPage(reply, status, messagePage(context, { heading: t.csrfHeading, text: t.csrfText }));
          case 'pairing_code_invalid':
            return sendCodeInvalid(reply, context);
          default:
            return sendPage(
              reply,
              PAGE_ERROR_STATUS.invalid_form,
              messagePage(context, { heading: t.badFormHeading, text: t.fieldHints[error.field ?? 'form'] }),
            );
        }
      }
      if (error.statusCode === 429) {
        return sendPage(reply, PAGE_ERROR_STATUS.rate_limited, messagePage(context, { heading: t.rateLimitedHeading, text: t.rateLimitedText }));
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return sendPage(reply, PAGE_ERROR_STATUS.invalid_form, messagePage(context, { heading: t.badFormHeading, text: t.fieldHints.form }));
      }
      request.log.error({ err: error }, 'approval page request failed');
      return sendPage(reply, PAGE_ERROR_STATUS.internal_error, messagePage(context, { heading: t.errorHeading, text: t.errorText }));
    });

    app.get(STYLESHEET_PATH, (_request, reply) => reply.type('text/css; charset=utf-8').send(STYLESHEET));

    app.get('/pair', async (request, reply) => {
      const { code } = parseForm(PairQuery, request.query);
      const session = await findSession(request);
      if (session.state !== 'admin') {
        if (session.state === 'ended') reply.header('set-cookie', clearedSessionCookie(deps.tls));
        return sendLogin(request, reply, 200, { code, error: session.state === 'ended' ? contextOf(request).t.sessionEnded : undefined });
      }
      const context = contextOf(request, await signedInAs(session.principal, code));
      let found: Awaited<ReturnType<PairingService['findByCode']>>;
      try {
        found = await deps.pairing.findByCode(code);
      } catch (error) {
        if (error instanceof PairingError && error.code === 'pairing_code_invalid') return sendCodeInvalid(reply, context);
        throw error;
      }
      return sendPage(reply, 200, pairingPage(context, { code, csrf: context.signedIn?.csrf ?? '', ...found, now: deps.now() }));
    });

    app.post('/pair/login', { config: { rateLimit: PAGE_LOGIN_RATE_LIMIT } }, async (request, reply) => {
      const { code } = parseForm(PairQuery, { code: submitted(request.body, 'code') });
      const { t } = contextOf(request);
      const username = submitted(request.body, 'username');
      try {
        const form = parseForm(LoginForm, request.body);
        const tokens = await logInAdmin(
          { committer: deps.committer, credentials: deps.credentials, pairing: deps.pairing, throttle, sessions, now: deps.now },
          form,
          request.ip,
        );
        return reply.code(303).header('set-cookie', sessionCookie(tokens.accessToken, deps.tls)).header('location', approvalUrlPath(form.code)).send();
      } catch (error) {
        if (!(error instanceof ApprovalPageError)) throw error;
        if (error.code === 'pairing_code_invalid') return sendCodeInvalid(reply, contextOf(request));
        const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
        if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
        const message = loginRefusal(t, error.code, error.field, retryAfterSeconds ?? 1);
        return sendLogin(request, reply, PAGE_ERROR_STATUS[error.code], { code, username, error: message });
      }
    });

    app.post('/pair/decide', async (request, reply) => {
      const form = parseForm(DecideForm, request.body);
      const session = await findSession(request);
      if (session.state !== 'admin')
        return sendLogin(request, reply, PAGE_ERROR_STATUS.session_required, { code: form.code, error: contextOf(request).t.sessionEnded });
      const { principal } = session;
      await requireCsrf(request, principal, form.csrf);
      const actor = agentActor(principal, request.ip);
      const context = contextOf(request, await signedInAs(principal, undefined));
      try {
        const device = form.decision === 'approve' ? await deps.pairing.approve(form.code, actor) : await deps.pairing.reject(form.code, actor);
        return sendPage(reply, 200, decidedPage(context, { decision: form.decision, label: device.label }));
      } catch (error) {
        if (error instanceof PairingError && error.code === 'pairing_code_invalid') return sendCodeInvalid(reply, context);
        throw error;
      }
    });

    app.post('/pair/logout', async (request, reply) => {
      const form = parseForm(LogoutForm, request.body);
      const session = await findSession(request);
      if (session.state === 'admin') {
        await requireCsrf(request, session.principal, form.csrf);
        await sessions.end(session.principal, request.ip);
      }
      const context = contextOf(request);
      reply.header('set-cookie', clearedSessionCookie(deps.tls));
      return sendPage(reply, 200, messagePage(context, { heading: context.t.loggedOutHeading, text: context.t.loggedOutText, code: form.code }));
    });

    done();
  };
}
