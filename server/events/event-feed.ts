/**
 * The client event feed: the `events` table (written by the store's triggers in the transaction
 * of each change) delivered over WebSockets in sequence order. A client resumes after the last
 * seq it saw; each event carries the current state of what changed, so replays and duplicates
 * change nothing. The feed also closes sockets the moment their session or device is revoked,
 * including revocations made by another process (the admin CLI), which it notices by polling;
 * and it follows each socket's agent's roles and teams the same way (told by this process's
 * admin routes, polled for the others'), telling the socket `view_changed` and sending it from
 * then on what its new view holds (docs/teams.md).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { ControlEvent, EphemeralEvent, TemplateEvent } from '../../common/api/events.js';
import { EVENTS_CLOSE } from '../../common/api/events.js';
import type { SecurityNotifier } from './security-notifier.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import type { NoteViews } from '../notes/note-views.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { FeedSequencer } from '../store/feed-sequencer.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { rolesOf } from '../store/agent-roles.js';
import { NO_TEAMS, sameScope, teamScopesOf } from '../sessions/team-scope.js';
import { readFeedBatch } from './feed-batch.js';
import type { MaskedNumberPolicy } from '../masking/customer-numbers.js';
import type { FeedBatch, FeedViews } from './feed-batch.js';

export interface EventFeedOptions {
  /** How often the feed looks for changes made by other processes, and for ended sessions. */
  readonly pollMs?: number;
  /** Events older than this are pruned; a client further behind resyncs. */
  readonly retentionMs?: number;
  readonly batchSize?: number;
  readonly pingMs?: number;
  /**
   * Unsent bytes a live socket may hold: past it, the socket is closed with `tooSlow` instead of
   * given more (it resumes from its seq). A replay waits for its socket to drain below it instead.
   */
  readonly maxBufferedBytes?: number;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

interface Connection {
  readonly socket: WebSocket;
  /** Its agent's roles and teams are read again when they change (viewsChanged, and every poll). */
  principal: SessionPrincipal;
  lastSeq: number;
  /** Replay done: live events may flow. */
  live: boolean;
  alive: boolean;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** How often a replay looks whether its socket drained. */
const DRAIN_POLL_MS = 20;

export class EventFeed implements SecurityNotifier {
  readonly #db: Kysely<InboxDatabase>;
  readonly #committer: GroupCommitter;
  readonly #sequencer: FeedSequencer;
  readonly #views: FeedViews;
  readonly #numbers: () => Promise<MaskedNumberPolicy>;
  readonly #log: Logger;
  readonly #metrics: ServerMetrics;
  readonly #now: () => number;
  readonly #pollMs: number;
  readonly #retentionMs: number;
  readonly #batchSize: number;
  readonly #pingMs: number;
  readonly #maxBufferedBytes: number;
  readonly #connections = new Set<Connection>();
  #pumping: Promise<void> | undefined;
  #pumpAgain = false;
  #timers: NodeJS.Timeout[] = [];
  #lastPrune = 0;

  constructor(
    deps: {
      db: Kysely<InboxDatabase>;
      committer: GroupCommitter;
      sequencer: FeedSequencer;
      views: InboxViews;
      notes: NoteViews;
      log: Logger;
      metrics: ServerMetrics;
      now: () => number;
      /** The safety policy's masked numbers, read for each batch: its frames mask customers' numbers by it (server/masking/). */
      numbers: () => Promise<MaskedNumberPolicy>;
    },
    options: EventFeedOptions = {},
  ) {
    this.#numbers = deps.numbers;
    this.#db = deps.db;
    this.#committer = deps.committer;
    this.#sequencer = deps.sequencer;
    this.#views = { inbox: deps.views, notes: deps.notes };
    this.#log = deps.log;
    this.#metrics = deps.metrics;
    this.#now = deps.now;
    this.#pollMs = options.pollMs ?? 250;
    this.#retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
    this.#batchSize = options.batchSize ?? 500;
    this.#pingMs = options.pingMs ?? 30_000;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  start(): void {
    this.#timers.push(
      setInterval(() => {
        // Also numbers what other processes (the admin CLI, a replica killed before its pass) committed.
        this.committed();
        void this.#checkSessions();
        void this.#refreshViews(undefined);
        void this.#pruneNow();
      }, this.#pollMs),
      setInterval(() => this.#ping(), this.#pingMs),
    );
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    for (const connection of this.#connections) connection.socket.close(1001, 'server shutting down');
    this.#connections.clear();
  }

  /**
   * Something was committed: number what is committed (PostgreSQL's stamping pass; nothing on
   * SQLite), then deliver it. Each commit's pass follows it without holding its answers back.
   */
  committed(): void {
    this.#sequencer.stamp().then(
      () => this.poke(),
      (error: unknown) => {
        this.#log.error({ err: error }, 'event feed stamping failed');
        this.poke();
      },
    );
  }

  /** Something may have been numbered: deliver whatever is new. */
  poke(): void {
    if (this.#connections.size === 0) return;
    if (this.#pumping !== undefined) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = (async () => {
      try {
        do {
          this.#pumpAgain = false;
          await this.#deliverLive();
          // Webhooks and API calls get their turn before the next pass; what they commit meanwhile joins it.
          await yieldToIo();
        } while (this.#pumpAgain);
      } catch (error) {
        this.#log.error({ err: error }, 'event feed delivery failed');
      } finally {
        this.#pumping = undefined;
      }
    })();
  }

  /** Takes a socket whose session and device proof have been checked, replays after `after`, then goes live. */
  /** `after` undefined: live from the current end of the feed, without replay. */
  async attach(socket: WebSocket, principal: SessionPrincipal, after: number | undefined): Promise<void> {
    const connection: Connection = { socket, principal, lastSeq: after ?? 0, live: false, alive: true };
    this.#connections.add(connection);
    socket.on('close', () => this.#connections.delete(connection));
    socket.on('pong', () => {
      connection.alive = true;
    });
    // The client only listens; anything it sends is ignored, and a flood closes it.
    socket.on('message', () => undefined);
    try {
      this.#sendEvent(connection, viewEvent(principal));
      const bounds = await this.#db
        .selectFrom('events')
        .select((eb) => [eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')])
        .executeTakeFirstOrThrow();
      const first = bounds.first === null ? null : Number(bounds.first);
      const last = bounds.last === null ? 0 : Number(bounds.last);
      if (after === undefined) {
        connection.lastSeq = last;
      } else if (after > last || (first !== null && after < first - 1)) {
        // The feed cannot give everything after `after` (pruned, or a seq from another store): the client reloads.
        connection.lastSeq = last;
        this.#sendEvent(connection, { type: 'resync', lastSeq: last });
      }
      await this.#deliver([connection], new Map());
      await this.#drained(connection);
      if (!this.#connections.has(connection)) return;
      connection.live = true;
      this.#sendEvent(connection, { type: 'ready', lastSeq: connection.lastSeq });
      this.poke();
    } catch (error) {
      this.#log.error({ err: error }, 'event feed replay failed');
      socket.close(1011, 'replay failed');
    }
  }

  /**
   * An ephemeral event (presence) to each live socket `eventFor` gives one, in a frame of its own:
   * never stored, never numbered, never replayed. A socket over its cap of unsent bytes misses it
   * rather than being closed for it (the next change tells it again).
   */
  sendEphemeral(eventFor: (principal: SessionPrincipal) => EphemeralEvent | TemplateEvent | undefined): void {
    for (const connection of this.#connections) {
      const { socket } = connection;
      if (!connection.live || socket.readyState !== socket.OPEN || socket.bufferedAmount > this.#maxBufferedBytes) continue;
      const event = eventFor(connection.principal);
      if (event !== undefined) socket.send(JSON.stringify([event]));
    }
  }

  sessionsEnded(sessionIds: readonly number[], reason: string): void {
    const ids = new Set(sessionIds);
    for (const connection of this.#connections) {
      if (ids.has(connection.principal.sessionId)) this.#closeRevoked(connection, reason === 'device_revoked' ? 'device' : 'session', reason);
    }
  }

  devicesRevoked(deviceIds: readonly number[], reason: string): void {
    const ids = new Set(deviceIds);
    for (const connection of this.#connections) {
      if (connection.principal.deviceId !== null && ids.has(connection.principal.deviceId)) this.#closeRevoked(connection, 'device', reason);
    }
  }

  /** A control event to every socket, replaying or live (the safety policy changed): small and rare, never held back. */
  sendToAll(event: ControlEvent): void {
    for (const connection of this.#connections) this.#sendEvent(connection, event);
  }

  /** These agents' roles or teams changed (an admin route in this process): their sockets follow now. */
  viewsChanged(agentIds: readonly number[]): void {
    void this.#refreshViews(new Set(agentIds)).then(() => this.poke());
  }

  /**
   * Reads again the roles and teams of the agents behind the sockets (of `only`, when given); a
   * socket whose view changed is told, and from now on gets what its new view holds.
   */
  async #refreshViews(only: ReadonlySet<number> | undefined): Promise<void> {
    const connections = [...this.#connections].filter((connection) => only === undefined || only.has(connection.principal.agentId));
    if (connections.length === 0) return;
    try {
      const agentIds = [...new Set(connections.map((connection) => connection.principal.agentId))];
      const [roles, scopes] = await Promise.all([
        this.#db.selectFrom('agents').select(['id', 'roles']).where('id', 'in', agentIds).execute(),
        teamScopesOf(this.#db, agentIds),
      ]);
      const rolesById = new Map(roles.map((row) => [row.id, rolesOf(row.roles)]));
      for (const connection of connections) {
        const { principal } = connection;
        const scope = scopes.get(principal.agentId) ?? NO_TEAMS;
        const held = rolesById.get(principal.agentId) ?? [];
        if (sameScope(scope, principal) && held.join(',') === principal.roles.join(',')) continue;
        connection.principal = { ...principal, roles: held, memberOf: scope.memberOf, supervises: scope.supervises };
        if (this.#connections.has(connection)) this.#sendEvent(connection, viewEvent(connection.principal));
      }
    } catch (error) {
      this.#log.error({ err: error }, 'event feed view refresh failed');
    }
  }

  #closeRevoked(connection: Connection, what: 'session' | 'device', reason: string): void {
    if (!this.#connections.has(connection)) return;
    this.#connections.delete(connection);
    this.#sendEvent(connection, what === 'device' ? { type: 'device_revoked', reason } : { type: 'session_revoked', reason });
    connection.socket.close(
      what === 'device' ? EVENTS_CLOSE.deviceRevoked : EVENTS_CLOSE.sessionRevoked,
      what === 'device' ? 'device revoked' : 'session ended',
    );
  }

  /** One delivery pass over the live sockets: those at the same position share each read and its frames. */
  async #deliverLive(): Promise<void> {
    const live = [...this.#connections].filter((connection) => connection.live);
    if (live.length > 0) await this.#deliver(live, new Map());
  }

  /**
   * Brings `connections` to the end of the feed, one read at a time: each read goes to every
   * connection at its position (one frame per view), and the event loop runs between reads.
   */
  async #deliver(connections: readonly Connection[], batches: BatchCache): Promise<void> {
    let behind = connections;
    while (behind.length > 0) {
      // A replay goes at the pace its socket takes it (live sockets are never waited for).
      for (const connection of behind) if (!connection.live) await this.#drained(connection);
      const reads = new Map<number, Connection[]>();
      for (const connection of behind) {
        if (!this.#connections.has(connection)) continue;
        const group = reads.get(connection.lastSeq);
        if (group === undefined) reads.set(connection.lastSeq, [connection]);
        else group.push(connection);
      }
      const next: Connection[] = [];
      for (const [after, group] of reads) {
        let loading = batches.get(after);
        if (loading === undefined) {
          loading = this.#numbers().then((numbers) => readFeedBatch(this.#db, this.#views, after, this.#batchSize, numbers));
          batches.set(after, loading);
        }
        const batch = await loading;
        if (batch === undefined) continue;
        for (const connection of group) {
          if (!this.#connections.has(connection)) continue;
          const frame = batch.frameFor(connection.principal);
          if (frame !== undefined) this.#sendFrame(connection, frame);
          connection.lastSeq = batch.lastSeq;
          if (batch.full) next.push(connection);
        }
      }
      behind = next;
      if (behind.length > 0) await yieldToIo();
    }
  }

  /** Until the socket holds no more unsent bytes than the cap (or is gone). */
  async #drained(connection: Connection): Promise<void> {
    const { socket } = connection;
    while (socket.bufferedAmount > this.#maxBufferedBytes && socket.readyState === socket.OPEN && this.#connections.has(connection)) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  }

  /** Control events (ready, resync, revocations) are small and rare: never held back by the cap. */
  #sendEvent(connection: Connection, event: ControlEvent): void {
    const { socket } = connection;
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify([event]));
  }

  /**
   * Queues a frame of feed events, unless the live socket already holds more unsent bytes than the
   * cap: a reader that slow is closed (after what it was sent) with `tooSlow` and resumes from its
   * seq on reconnect, so it never holds the others nor grows the server's memory.
   */
  #sendFrame(connection: Connection, frame: Buffer): void {
    const { socket } = connection;
    if (socket.readyState !== socket.OPEN) return;
    if (connection.live && socket.bufferedAmount > this.#maxBufferedBytes) {
      this.#connections.delete(connection);
      this.#metrics.eventSocketsTooSlow.inc();
      this.#log.warn(
        { sessionId: connection.principal.sessionId, bufferedBytes: socket.bufferedAmount, lastSeq: connection.lastSeq },
        'event socket too slow: closed so it resumes',
      );
      socket.close(EVENTS_CLOSE.tooSlow, 'too slow: resume');
      return;
    }
    socket.send(frame, { binary: false });
  }

  /** Sessions ended or devices revoked by anyone (another process included) lose their socket. */
  async #checkSessions(): Promise<void> {
    if (this.#connections.size === 0) return;
    const bySession = new Map([...this.#connections].map((connection) => [connection.principal.sessionId, connection]));
    try {
      const rows = await this.#db
        .selectFrom('sessions')
        .innerJoin('agents', 'agents.id', 'sessions.agent_id')
        .leftJoin('devices', 'devices.id', 'sessions.device_id')
        .select([
          'sessions.id',
          'sessions.ended_at',
          'sessions.end_reason',
          'sessions.expires_at',
          'agents.status as agent_status',
          'devices.status as device_status',
          'devices.revoked_reason',
        ])
        .where('sessions.id', 'in', [...bySession.keys()])
        .execute();
      const now = this.#now();
      for (const row of rows) {
        const connection = bySession.get(row.id);
        if (connection === undefined) continue;
        if (row.device_status === 'revoked') this.#closeRevoked(connection, 'device', row.revoked_reason ?? 'device_revoked');
        else if (row.ended_at !== null) this.#closeRevoked(connection, 'session', row.end_reason ?? 'ended');
        else if (row.expires_at <= now) this.#closeRevoked(connection, 'session', 'expired');
        else if (row.agent_status !== 'active') this.#closeRevoked(connection, 'session', 'agent_disabled');
      }
    } catch (error) {
      this.#log.error({ err: error }, 'event feed session check failed');
    }
  }

  async #pruneNow(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    try {
      await this.#committer.submit((trx) =>
        trx
          .deleteFrom('events')
          .where('created_at', '<', now - this.#retentionMs)
          // Never an event no one could have been shown yet (unnumbered, on PostgreSQL).
          .where('seq', 'is not', null)
          .execute(),
      );
    } catch (error) {
      this.#log.error({ err: error }, 'event feed prune failed');
    }
  }

  #ping(): void {
    for (const connection of this.#connections) {
      if (!connection.alive) {
        this.#connections.delete(connection);
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }
}

function viewEvent(principal: SessionPrincipal): ControlEvent {
  return { type: 'view_changed', roles: [...principal.roles], teams: { memberOf: [...principal.memberOf], supervises: [...principal.supervises] } };
}

/** Batches read in one delivery, by the position they follow. */
type BatchCache = Map<number, Promise<FeedBatch | undefined>>;

/** Lets pending I/O (webhooks, API calls) run before the feed goes on. */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
