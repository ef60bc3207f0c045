/**
 * Registers the client API's routes on Fastify: every input parsed with its zod schema, every
 * session checked against the store on every request (so revocation bites at once), roles
 * enforced, outputs checked against their schema and customers' numbers masked in them
 * (server/masking/), and errors returned as { error: { code, message } }.
 * Uploads take raw bytes in a scope of their own; the event socket is refused before its upgrade.
 */
import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { isCodedError } from '../../common/errors/coded-error.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { grantsAccess } from '../../common/api/endpoint.js';
import { checkAccessToken } from '../sessions/session-store.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { InboxDatabase } from '../store/schema.js';
import type { CustomerNumberMasking } from '../masking/customer-numbers.js';
import type { Access, AnyApiRoute } from './api-route.js';
import { statusForCode } from './api-errors.js';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '../store/store-unavailable.js';

export const API_JSON_LIMIT = 1024 * 1024;

const FORBIDDEN: Readonly<Record<Exclude<Access, 'public'>, string>> = {
  session: 'Log in first: this call needs a session.',
  inbox: 'Only agents and supervisors read customer conversations: an administrator account needs the agent or supervisor role too.',
  supervisor: 'Only supervisors may do this.',
  admin: 'Only administrators may do this.',
  oversight: 'Only supervisors and administrators may see these figures.',
};

export interface ApiDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly now: () => number;
  /** What every `inbox` route asks of its caller besides the role (the security briefing acknowledged): refuses with a CodedError. */
  readonly inboxGate?: (principal: SessionPrincipal) => Promise<void>;
  /** Every answer leaves through it: customers' numbers masked for whoever may not see them (server/masking/). */
  readonly masking: CustomerNumberMasking;
}

/** Sends a coded error as JSON with its status. */
export function sendApiError(reply: FastifyReply, code: string, message: string, details?: Readonly<Record<string, unknown>>): FastifyReply {
  return reply
    .code(statusForCode(code))
    .header('cache-control', 'no-store')
    .send({ error: details === undefined ? { code, message } : { code, message, details } });
}

export function describeZodError(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].join('.');
  return `${path}: ${issue?.message ?? 'is invalid'}`;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw new CodedError('invalid_request', describeZodError(where, result.error));
  return result.data;
}

/** The principal behind the request's bearer token, or a coded refusal. */
export async function authenticate(deps: ApiDeps, request: FastifyRequest, access: Exclude<Access, 'public'>): Promise<SessionPrincipal> {
  const header = request.headers.authorization;
  if (header === undefined || !header.startsWith('Bearer ')) throw new CodedError('session_required', 'Log in first: this call needs a session.');
  const check = await checkAccessToken(deps.db, header.slice('Bearer '.length).trim(), deps.now());
  if (!check.ok) {
    const messages: Record<typeof check.code, string> = {
      session_invalid: 'This session is not valid (it ended or never existed): log in again.',
      session_expired: 'This session has expired: refresh it or log in again.',
      device_revoked: 'This workstation has been revoked by an administrator.',
      device_not_active: 'This workstation is not an approved device.',
      agent_disabled: 'This account has been disabled by an administrator.',
      agent_reset: 'An administrator reset this account’s sign-in: enroll again with the new code.',
    };
    throw new CodedError(check.code, messages[check.code]);
  }
  if (check.principal.kind !== 'device')
    throw new CodedError('session_invalid', 'This session is not valid for the client API: log in from a paired workstation.');
  if (!grantsAccess(check.principal.roles, access)) throw new CodedError('forbidden_role', FORBIDDEN[access]);
  return check.principal;
}

type Route = AnyApiRoute;
type SocketRoute = Extract<Route, { kind: 'socket' }>;
type HttpRoute = Exclude<Route, { kind: 'socket' }>;
type SocketContext = Parameters<SocketRoute['handler']['accept']>[0];

export function registerApiRoutes(app: FastifyInstance, routes: readonly AnyApiRoute[], deps: ApiDeps): void {
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    if (isCodedError(error)) return sendApiError(reply, error.code, error.message, error.details);
    if (error.statusCode === 413) return sendApiError(reply, 'payload_too_large', 'The request body is too large.');
    if (error.statusCode === 429) return sendApiError(reply, 'rate_limited', 'Too many requests from this address: wait a minute and try again.');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendApiError(reply, 'invalid_request', 'Send JSON (content-type: application/json).');
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendApiError(
        reply,
        'invalid_request',
        error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The request body is empty.' : 'The request body is not valid JSON.',
      );
    }
    if (isStoreUnavailable(error)) {
      request.log.warn({ code: error.code }, 'client API request failed: the store is unavailable');
      reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
      return sendApiError(reply, 'store_unavailable', 'The server cannot reach its database just now: try again in a few seconds.');
    }
    request.log.error({ err: error }, 'client API request failed');
    return sendApiError(reply, 'internal_error', 'Something went wrong on the server; the error has been logged. Try again.');
  });

  for (const spec of routes) {
    if (spec.kind === 'socket') {
      registerSocketRoute(app, spec, deps);
    } else if (spec.kind === 'upload') {
      // Uploads take the raw bytes of any content type, in a scope of their own: text/plain and
      // JSON too, which Fastify's own parsers would otherwise turn into strings and objects.
      void app.register((scope, _options, done) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: spec.maxBytes }, (_request, body, parsed) => parsed(null, body));
        registerHttpRoute(scope, spec, deps);
        done();
      });
    } else {
      registerHttpRoute(app, spec, deps);
    }
  }
}

function registerHttpRoute(scope: FastifyInstance, spec: HttpRoute, deps: ApiDeps): void {
  const response = spec.kind === 'json' || spec.kind === 'upload' ? spec.response : undefined;
  const successStatus = spec.kind === 'json' || spec.kind === 'upload' ? spec.successStatus : undefined;
  scope.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.kind === 'upload' ? spec.maxBytes : API_JSON_LIMIT,
    ...(spec.perMinute === undefined ? {} : { config: { rateLimit: { max: spec.perMinute, timeWindow: 60_000 } } }),
    handler: async (request, reply) => {
      const principal = spec.access === 'public' ? undefined : await authenticate(deps, request, spec.access);
      if (spec.access === 'inbox' && principal !== undefined) await deps.inboxGate?.(principal);
      const body: unknown = spec.kind === 'json' ? parse(spec.body, request.body, 'body') : request.body;
      const result: unknown = await spec.handler({
        body,
        query: parse<unknown>(spec.query, request.query, 'query'),
        params: parse<unknown>(spec.params, request.params, 'params'),
        principal,
        request,
        reply,
      });
      if (reply.sent) return reply;
      reply.header('cache-control', 'no-store');
      if (response === undefined) return reply.code(successStatus ?? 204).send();
      const checked = response.safeParse(result);
      if (!checked.success) {
        request.log.error({ route: spec.url, problem: describeZodError('response', checked.error) }, 'client API response does not match its schema');
        throw new CodedError('internal_error', 'The server produced a response that does not match the API; the error has been logged.');
      }
      return reply.code(successStatus ?? 200).send(await deps.masking.answer(principal, checked.data));
    },
  });
}

/**
 * The upgrade is checked in preValidation: the query, then the session, then what the route's
 * handler asks (a device proof); any refusal is a plain HTTP error and no socket opens.
 */
function registerSocketRoute(scope: FastifyInstance, spec: SocketRoute, deps: ApiDeps): void {
  const accepted = new WeakMap<FastifyRequest, SocketContext>();
  scope.route({
    method: spec.method,
    url: spec.url,
    preValidation: async (request) => {
      const query = parse<unknown>(spec.query, request.query, 'query');
      const principal = spec.access === 'public' ? undefined : await authenticate(deps, request, spec.access);
      const context: SocketContext = { query, principal, request };
      await spec.handler.accept(context);
      accepted.set(request, context);
    },
    handler: (_request, reply) => reply.code(426).send({ error: { code: 'upgrade_required', message: 'Connect with a WebSocket.' } }),
    wsHandler: (socket, request) => {
      const context = accepted.get(request);
      if (context === undefined) {
        socket.close(4401, 'unauthenticated');
        return;
      }
      spec.handler.open(socket, context);
    },
  });
}
