/**
 * The server's half of the client API: one handler attached to each route of the contract in
 * common/api/client-api.ts. The handlers of each group are an object keyed by route name, so a
 * handler for a route that is not in the contract, or a route without one, does not compile; and
 * bindRoutes refuses the same at start-up. The bound routes register on Fastify (register-api.ts).
 */
import type { WebSocket } from 'ws';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BodyOf, Endpoint, ParamsOf, QueryOf, ResponseOf } from '../../common/api/endpoint.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SessionPrincipal } from '../sessions/session-store.js';

export type { Access } from '../../common/api/endpoint.js';

type PrincipalOf<E> = E extends { readonly access: 'public' } ? undefined : SessionPrincipal;

export interface RouteContext<E> {
  /** The parsed JSON body; for an upload, the raw bytes as Fastify read them. */
  readonly body: E extends { readonly kind: 'upload' } ? unknown : BodyOf<E>;
  readonly query: QueryOf<E>;
  readonly params: ParamsOf<E>;
  readonly principal: PrincipalOf<E>;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** Answers with what the route's response schema describes; a download (or no-body route) writes the reply itself and returns undefined. */
export type RouteHandler<E> = (context: RouteContext<E>) => Promise<ResponseOf<E>>;

export interface SocketContext<E> {
  readonly query: QueryOf<E>;
  readonly principal: PrincipalOf<E>;
  readonly request: FastifyRequest;
}

export interface SocketHandler<E> {
  /** Before the upgrade, after the session is checked: refuse with a CodedError (a plain HTTP error). */
  accept(context: SocketContext<E>): Promise<void>;
  /** The upgrade was accepted: the socket is open. */
  open(socket: WebSocket, context: SocketContext<E>): void;
}

export type HandlerOf<E> = E extends { readonly kind: 'socket' } ? SocketHandler<E> : RouteHandler<E>;

/** One handler per route of a group of the contract, keyed by route name. */
export type Handlers<Group> = { readonly [Name in keyof Group]: HandlerOf<Group[Name]> };

type AnyContext = RouteContext<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type AnySocketContext = SocketContext<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A route of the contract with its handler: what the server registers and route tests walk. */
export type AnyApiRoute =
  | (Exclude<Endpoint, { kind: 'socket' }> & { readonly name: string; readonly handler: (context: AnyContext) => Promise<unknown> })
  | (Extract<Endpoint, { kind: 'socket' }> & {
      readonly name: string;
      readonly handler: { accept(context: AnySocketContext): Promise<void>; open(socket: WebSocket, context: AnySocketContext): void };
    });

/** Each route of `contract` with its handler; refuses a route without one and a handler without a route. */
export function bindRoutes<Contract extends Readonly<Record<string, Endpoint>>>(contract: Contract, handlers: Handlers<Contract>): AnyApiRoute[] {
  const given: Readonly<Record<string, unknown>> = handlers;
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(contract, name));
  const missing = Object.keys(contract).filter((name) => given[name] === undefined);
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      missing.length > 0 ? `routes without a handler: ${missing.join(', ')}` : '',
      unknown.length > 0 ? `handlers for no route: ${unknown.join(', ')}` : '',
    ];
    throw new CodedError('api_contract_mismatch', `The client API's handlers do not match its contract (${parts.filter((part) => part !== '').join('; ')}).`);
  }
  return Object.entries(contract).map(([name, endpoint]) => ({ ...endpoint, name, handler: given[name] }) as AnyApiRoute);
}
