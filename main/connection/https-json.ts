/**
 * One HTTPS exchange with the provisioned server through the pinned agent: JSON in, JSON out
 * (checked with a zod schema), or raw bytes. Failures become coded errors: the server's own
 * `{ error: { code, message } }`, `server_unreachable` when it cannot be reached, and
 * `server_pin_mismatch` when it is not the pinned server.
 */
import https from 'node:https';
import type { z } from 'zod';
import { ApiErrorBody } from '../../common/api/api-error.js';
import { CLIENT_VERSION_HEADER } from '../../common/api/client-version.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { PinMismatchError } from './pinned-agent.js';

export const REQUEST_TIMEOUT_MS = 20_000;

/** An error answer from the server, with its HTTP status (and the server's details, if any). */
export class ServerError extends CodedError {
  readonly status: number;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'ServerError';
    this.status = status;
  }
}

export interface HttpsTarget {
  readonly baseUrl: string;
  readonly agent: https.Agent;
  /** This app's version, sent on every request: the server refuses apps older than its minimum. */
  readonly clientVersion: string;
}

export interface RawRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly token?: string | undefined;
  readonly body?: Uint8Array | undefined;
  readonly contentType?: string | undefined;
  /** Refuse responses larger than this (bytes). */
  readonly maxBytes?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export function requestRaw(target: HttpsTarget, request: RawRequest): Promise<RawResponse> {
  const url = new URL(`${target.baseUrl}${request.path}`);
  const maxBytes = request.maxBytes ?? 16 * 1024 * 1024;
  return new Promise<RawResponse>((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json', [CLIENT_VERSION_HEADER]: target.clientVersion };
    if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
    if (request.body !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = String(request.body.length);
    }
    const outgoing = https.request(url, { method: request.method, headers, agent: target.agent, timeout: REQUEST_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          response.destroy();
          reject(new CodedError('response_too_large', `The server's answer is larger than ${Math.round(maxBytes / (1024 * 1024))} MB.`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), bytes: Buffer.concat(chunks) }),
      );
      response.on('error', (error) => reject(unreachable(target, error)));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', (error) => reject(error instanceof PinMismatchError ? error : unreachable(target, error)));
    outgoing.end(request.body);
  });
}

function unreachable(target: HttpsTarget, error: Error): CodedError {
  const reason = (error as NodeJS.ErrnoException).code ?? error.message;
  return new CodedError('server_unreachable', `Cannot reach the server at ${target.baseUrl} (${reason}). Check the network; the app retries.`);
}

/** Turns a non-2xx answer into a ServerError with the server's code and message. */
export function errorOf(response: RawResponse): ServerError {
  try {
    const body = ApiErrorBody.parse(JSON.parse(response.bytes.toString('utf8')));
    return new ServerError(response.status, body.error.code, body.error.message, body.error.details);
  } catch {
    return new ServerError(response.status, 'server_error', `The server answered ${response.status} without an explanation.`);
  }
}

export async function requestJson<T>(target: HttpsTarget, request: Omit<RawRequest, 'body'> & { json?: unknown }, schema: z.ZodType<T>): Promise<T> {
  const body = request.json === undefined ? undefined : Buffer.from(JSON.stringify(request.json), 'utf8');
  const response = await requestRaw(target, { ...request, body });
  if (response.status < 200 || response.status >= 300) throw errorOf(response);
  if (response.status === 204) return schema.parse(undefined);
  return parseAnswer(response, schema);
}

/** A success's JSON body, checked with `schema`. */
export function parseAnswer<T>(response: RawResponse, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(response.bytes.toString('utf8'));
  } catch {
    throw new CodedError('server_answer_invalid', 'The server’s answer is not JSON: is the provisioning file’s address right?');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new CodedError('server_answer_invalid', 'The server’s answer does not match what this app version expects: update the app or tell IT.');
  return parsed.data;
}
