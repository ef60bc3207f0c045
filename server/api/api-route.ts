/**
 * One client-API route, declared once: method, path, who may call it, zod schemas for what comes
 * in and goes out, and the handler. The same declaration registers the Fastify route (inputs
 * parsed, outputs checked), writes the OpenAPI document and lets a test walk every route.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SessionPrincipal } from '../sessions/session-store.js';

/** public: anyone (device proofs are checked by the handler); session: a logged-in agent on an active device. */
export type Access = 'public' | 'session' | 'supervisor' | 'admin';

export interface RouteContext<A extends Access, B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly principal: A extends 'public' ? undefined : SessionPrincipal;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface ApiRoute<A extends Access = Access, B = unknown, Q = unknown, P = unknown, R = unknown> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path syntax: /v1/conversations/:id/messages */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: A;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  /** What a success returns; undefined: a stream or no body (the handler writes the reply). */
  readonly response: z.ZodType<R> | undefined;
  readonly successStatus?: 200 | 201 | 204;
  /** Requests per minute per source address. */
  readonly perMinute?: number;
  /** Raw request bodies (uploads) instead of JSON. */
  readonly rawBody?: { readonly maxBytes: number };
  handler(context: RouteContext<A, B, Q, P>): Promise<R>;
}

export type AnyApiRoute = ApiRoute<Access, any, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Declares a route with its types inferred from its schemas. */
export function route<A extends Access, B = undefined, Q = undefined, P = undefined, R = undefined>(spec: ApiRoute<A, B, Q, P, R>): AnyApiRoute {
  return spec as AnyApiRoute;
}
