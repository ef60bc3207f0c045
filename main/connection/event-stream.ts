/**
 * The server's event feed over a WebSocket, kept alive: each connect carries the session token
 * and a fresh device proof, resumes after the last seq seen, and reconnects with backoff and
 * jitter when the network drops, or at once when the server closed it for reading too slowly.
 * Each message is a frame of one or more events. Revocations end it for good and are reported as such.
 */
import WebSocket from 'ws';
import { CLIENT_VERSION_HEADER } from '../../common/api/client-version.js';
import { EVENTS_CLOSE, eventsOfFrame } from '../../common/api/events.js';
import type { ServerEvent } from '../../common/api/events.js';
import type { DeviceProof } from '../../common/api/device-proof.js';
import { requestPath } from '../../common/api/endpoint.js';
import { FEED_ENDPOINTS, proofHeaderValue } from '../../common/api/feed-endpoints.js';
import { errorOf } from './https-json.js';
import type { HttpsTarget } from './https-json.js';

export type StreamEnd = 'session_revoked' | 'device_revoked' | 'session_invalid' | 'client_outdated';

export interface EventStreamHandlers {
  /** A parsed server event (feed, ready, resync, presence). */
  onEvent(event: ServerEvent): void;
  onConnection(status: 'online' | 'connecting' | 'offline'): void;
  /** The stream will not reconnect: the session or the device was revoked, the session is gone, or the app is too old. */
  onEnd(end: StreamEnd, reason: string, cause?: unknown): void;
}

export interface EventStreamDeps {
  readonly target: HttpsTarget;
  readonly proof: () => Promise<DeviceProof>;
  /** The current access token (refreshed by the session keeper). */
  readonly accessToken: () => Promise<string>;
  readonly handlers: EventStreamHandlers;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Whether the workstation's screen is locked as it connects: the server counts its agent online only when not. */
  readonly locked?: () => boolean;
}

export class EventStream {
  readonly #deps: EventStreamDeps;
  /** Undefined until the server says where the feed stands: the first connect then asks for no replay. */
  #lastSeq: number | undefined;
  #socket: WebSocket | undefined;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #stopped = false;

  constructor(deps: EventStreamDeps, lastSeq?: number) {
    this.#deps = deps;
    this.#lastSeq = lastSeq;
  }

  get lastSeq(): number {
    return this.#lastSeq ?? 0;
  }

  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#socket?.close(1000, 'client stopping');
    this.#socket = undefined;
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    this.#deps.handlers.onConnection('connecting');
    let token: string;
    let proof: DeviceProof;
    try {
      [token, proof] = await Promise.all([this.#deps.accessToken(), this.#deps.proof()]);
    } catch (error) {
      if (this.#endsFor(error)) return;
      this.#retryLater();
      return;
    }
    if (this.#stopped) return;
    const path = requestPath(FEED_ENDPOINTS.events, undefined, { after: this.#lastSeq, locked: this.#deps.locked?.() === true ? true : undefined });
    const url = `${this.#deps.target.baseUrl.replace(/^https:/, 'wss:')}${path}`;
    const socket = new WebSocket(url, {
      agent: this.#deps.target.agent,
      headers: {
        authorization: `Bearer ${token}`,
        [FEED_ENDPOINTS.events.header.name]: proofHeaderValue(proof),
        [CLIENT_VERSION_HEADER]: this.#deps.target.clientVersion,
      },
      handshakeTimeout: 15_000,
      maxPayload: 16 * 1024 * 1024,
    });
    this.#socket = socket;
    socket.on('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const error = errorOf({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), bytes: Buffer.concat(chunks) });
        socket.terminate();
        if (!this.#endsFor(error)) this.#retryLater();
      });
    });
    socket.on('open', () => {
      this.#attempt = 0;
    });
    socket.on('message', (data: Buffer) => {
      // A socket being closed by stop() may still deliver: nothing reaches a stopped stream.
      if (this.#socket !== socket) return;
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString('utf8'));
      } catch {
        return;
      }
      for (const event of eventsOfFrame(frame)) {
        // A handler may have stopped the stream (a revocation): the rest of the frame is not for it.
        if (this.#socket !== socket) return;
        if (event.type === 'ready') this.#deps.handlers.onConnection('online');
        if ('seq' in event) this.#lastSeq = Math.max(this.#lastSeq ?? 0, event.seq);
        if (event.type === 'resync' || event.type === 'ready') this.#lastSeq = Math.max(this.#lastSeq ?? 0, event.lastSeq);
        this.#deps.handlers.onEvent(event);
      }
    });
    socket.on('close', (code, reason) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (code === EVENTS_CLOSE.deviceRevoked) return this.#end('device_revoked', reason.toString('utf8'));
      if (code === EVENTS_CLOSE.sessionRevoked) return this.#end('session_revoked', reason.toString('utf8'));
      // Everything before the close arrived: resume after it now, without waiting out a backoff.
      if (code === EVENTS_CLOSE.tooSlow) return this.#resumeNow();
      this.#retryLater();
    });
    socket.on('error', () => {
      // 'close' follows and schedules the retry.
    });
  }

  /** True (and the stream ended) when an error means reconnecting cannot help. */
  #endsFor(error: unknown): boolean {
    const code = (error as { code?: unknown }).code;
    if (code === 'device_revoked') {
      this.#end('device_revoked', 'revoked');
      return true;
    }
    if (code === 'session_invalid' || code === 'agent_disabled' || code === 'agent_reset' || code === 'refresh_failed') {
      this.#end('session_invalid', String(code));
      return true;
    }
    if (code === 'client_outdated') {
      this.#end('client_outdated', (error as Error).message, error);
      return true;
    }
    return false;
  }

  #end(end: StreamEnd, reason: string, cause?: unknown): void {
    // A handshake answered after stop() ends nothing: the stream was already stopped.
    if (this.#stopped) return;
    this.#stopped = true;
    this.#deps.handlers.onConnection('offline');
    this.#deps.handlers.onEnd(end, reason, cause);
  }

  #resumeNow(): void {
    if (this.#stopped) return;
    this.#attempt = 0;
    this.#timer = setTimeout(() => void this.#connect(), 0);
  }

  #retryLater(): void {
    if (this.#stopped) return;
    this.#deps.handlers.onConnection('offline');
    const base = this.#deps.initialBackoffMs ?? 1000;
    const max = this.#deps.maxBackoffMs ?? 30_000;
    const delay = Math.min(max, base * 2 ** this.#attempt) * (0.8 + Math.random() * 0.4);
    this.#attempt += 1;
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }
}
