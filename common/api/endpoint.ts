/**
 * One route of the client API, declared once: method, path, who may call it, the zod schemas of
 * what goes in and comes out, and how the bytes travel. The server attaches one handler to each
 * (server/api/) and writes its OpenAPI document from them; the desktop app's ServerApi builds its
 * requests from them and checks the answers with them. Plain data and zod only: no Node, no Fastify.
 */
import type { z } from 'zod';
import { CodedError } from '../errors/coded-error.js';
import type { Role } from './session.js';

/**
 * public: anyone (device proofs are checked by the handler); session: a logged-in agent on an
 * active device, whatever their roles; inbox: one who holds `agent` or `supervisor` (reads
 * customer conversations); supervisor, admin: one who holds that role. No role implies another:
 * an admin who is not also an agent or supervisor is refused every inbox route. oversight: one who
 * holds `supervisor` or `admin` (figures, never customers' messages).
 */
export type Access = 'public' | 'session' | 'inbox' | 'supervisor' | 'admin' | 'oversight';

/** The roles of which a caller must hold one for each access. */
export const ROLES_FOR_ACCESS: Readonly<Record<Exclude<Access, 'public'>, readonly Role[]>> = {
  session: ['agent', 'supervisor', 'admin'],
  inbox: ['agent', 'supervisor'],
  supervisor: ['supervisor'],
  admin: ['admin'],
  /** Figures about teams (analytics): supervisors (of their teams) and admins (of every team). */
  oversight: ['supervisor', 'admin'],
};

export function grantsAccess(roles: readonly Role[], access: Exclude<Access, 'public'>): boolean {
  return ROLES_FOR_ACCESS[access].some((role) => roles.includes(role));
}
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface EndpointBase {
  readonly method: HttpMethod;
  /** The path, with :name for each path parameter: /v1/conversations/:id/messages */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** Requests per minute per source address; beyond them the server answers rate_limited (429). */
  readonly perMinute?: number;
}

/** JSON in (when `body` is declared) and JSON out, or no body at all (`response` undefined: 204). */
export interface JsonEndpoint extends EndpointBase {
  readonly kind: 'json';
  readonly body?: z.ZodType;
  readonly response: z.ZodType | undefined;
  readonly successStatus?: 200 | 201 | 204;
}

/** The request body is a file's raw bytes (content-type: its MIME type), at most `maxBytes`; JSON out. */
export interface UploadEndpoint extends EndpointBase {
  readonly kind: 'upload';
  readonly maxBytes: number;
  readonly response: z.ZodType;
  readonly successStatus: 200 | 201;
}

/** The answer is a stored file's bytes, streamed with its own content-type (200). */
export interface DownloadEndpoint extends EndpointBase {
  readonly kind: 'download';
}

/**
 * A WebSocket. The upgrade is a GET, refused with plain HTTP errors before it is accepted; once
 * open, the server sends `messages` (one JSON object per frame) and closes with `closeCodes`.
 */
export interface SocketEndpoint extends EndpointBase {
  readonly kind: 'socket';
  readonly method: 'GET';
  readonly messages: z.ZodType;
  /** A request header the upgrade needs besides the session (its name and what it carries). */
  readonly header: { readonly name: string; readonly description: string };
  readonly closeCodes: Readonly<Record<string, number>>;
}

export type Endpoint = JsonEndpoint | UploadEndpoint | DownloadEndpoint | SocketEndpoint;

export function jsonRoute<const E extends Omit<JsonEndpoint, 'kind'>>(spec: E): E & { readonly kind: 'json' } {
  return { ...spec, kind: 'json' };
}

export function uploadRoute<const E extends Omit<UploadEndpoint, 'kind'>>(spec: E): E & { readonly kind: 'upload' } {
  return { ...spec, kind: 'upload' };
}

export function downloadRoute<const E extends Omit<DownloadEndpoint, 'kind'>>(spec: E): E & { readonly kind: 'download' } {
  return { ...spec, kind: 'download' };
}

export function socketRoute<const E extends Omit<SocketEndpoint, 'kind'>>(spec: E): E & { readonly kind: 'socket' } {
  return { ...spec, kind: 'socket' };
}

/** What the server hands a handler: the parsed path parameters, query and JSON body. */
export type ParamsOf<E> = E extends { readonly params: infer S extends z.ZodType } ? z.output<S> : undefined;
export type QueryOf<E> = E extends { readonly query: infer S extends z.ZodType } ? z.output<S> : undefined;
export type BodyOf<E> = E extends { readonly body: infer S extends z.ZodType } ? z.output<S> : undefined;
/** What a client sends as the JSON body (before the server's defaults and transforms). */
export type BodyInputOf<E> = E extends { readonly body: infer S extends z.ZodType } ? z.input<S> : undefined;
/** What a success carries (undefined: no body, a stream or a socket). */
export type ResponseOf<E> = E extends { readonly response: infer S extends z.ZodType } ? z.output<S> : undefined;

/** The names of the path parameters in an endpoint's url, in order. */
export function pathParamNames(endpoint: Pick<Endpoint, 'url'>): string[] {
  return [...endpoint.url.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1] ?? '');
}

type QueryValue = string | number | boolean | undefined;

/** The request target for an endpoint: its url with the parameters filled in, and the query (undefined values left out). */
export function requestPath(
  endpoint: Pick<Endpoint, 'url'>,
  params?: Readonly<Record<string, string | number>>,
  query?: Readonly<Record<string, QueryValue>>,
): string {
  const path = endpoint.url.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new CodedError('request_path_incomplete', `${endpoint.url} needs the path parameter ${name}.`);
    return encodeURIComponent(String(value));
  });
  const search = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return search.length === 0 ? path : `${path}?${search.join('&')}`;
}
