/**
 * One agent signed in on this workstation: opened at login (or at the end of an enrollment),
 * disposed of when the session ends (logout, a lapsed lease, a lost right, a revocation, an
 * outdated app, quit). It owns what lives only while someone is signed in: the token keeper, the
 * open cache with its sync and outbox sender, the event stream, the idle lock and housekeeping,
 * and it reads the server's refusals for what they end. It decides no screen: it tells the core
 * how it ended, and the core decides what is erased and what shows.
 */
import type { HandedOver } from '../../common/api/handover.js';
import type { ServerEvent } from '../../common/api/events.js';
import type { ChangeConversationStateBody } from '../../common/api/conversation-lifecycle.js';
import { readsConversations } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { BusinessNumberOptions, ConversationSummary } from '../../common/api/inbox.js';
import type { ClientPolicy, Role, SessionGrant, TeamScope } from '../../common/api/session.js';
import { CodedError, isCodedError } from '../../common/errors/coded-error.js';
import type { ConnectionState, SignedInAgent } from '../../common/ipc/app-state.js';
import type { ComposeMessage, IpcEventName, IpcEventPayload, OutboxEntry, SearchHit } from '../../common/ipc/contract.js';
import type { CacheSecrets } from '../cache/cache-secrets.js';
import { leaseExpired } from '../cache/cache-secrets.js';
import type { LeaseClock } from '../cache/lease-clock.js';
import { openCache } from '../cache/cache-worker-client.js';
import type { OpenCache } from '../cache/cache-worker-client.js';
import { EventStream } from '../connection/event-stream.js';
import type { StreamEnd } from '../connection/event-stream.js';
import type { ServerApi } from '../connection/server-api.js';
import type { Platform } from '../platform/platform.js';
import { desktopTextFor } from '../desktop-text/desktop-text.js';
import type { DesktopText } from '../desktop-text/desktop-text.js';
import { notificationOf } from './feed-notifications.js';
import { IdleLock } from './idle-lock.js';
import { InboxSync } from './inbox-sync.js';
import { ScheduleSync } from './schedule-sync.js';
import { scheduleApi } from '../connection/schedule-api.js';
import { SESSION_ENDED } from './lost-rights.js';
import { OutboxSender, sendRequestOf } from './outbox-sender.js';
import { DeskStatus } from './desk-status.js';
import type { PresenceReporterOptions } from './presence-reporter.js';
import { SessionKeeper } from './session-keeper.js';
import { endOf } from './session-end.js';
import type { SessionEnd } from './session-end.js';
import { uiError } from './ui-error.js';
import { SafetyPolicyKeeper } from './safety-policy-keeper.js';
import { CLIENT_API } from '../../common/api/client-api.js';
import { callJson } from '../connection/endpoint-request.js';

export { endOf };
export type { SessionEnd };

/** Largest file the renderer may preview through getMedia. */
export const MAX_PREVIEW_BYTES = 25 * 1024 * 1024;

/** While the app runs, the lease's high-water time is sealed again once it has moved on this much. */
const HIGH_WATER_STEP_MS = 60_000;

export interface SessionHost {
  emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void;
  /** Whether the inbox shows (not locked): only then does the renderer hear of each change. */
  inboxShown(): boolean;
  lock(reason: 'idle' | 'screen_locked'): void;
  /** The server, or the lease, ended this session: the core decides what goes and what shows. */
  ended(session: AgentSession | undefined, end: SessionEnd): void;
  /** The agent's roles changed (the server said so): the screen names them anew. */
  agentChanged(session: AgentSession): void;
  /** The server refused the inbox until the security briefing is acknowledged, or published a new version: the core asks where the agent stands. */
  briefingDue(session: AgentSession): void;
}

export interface AgentSessionDeps {
  readonly platform: Platform;
  readonly api: ServerApi;
  readonly cacheSecrets: CacheSecrets;
  readonly leaseClock: LeaseClock;
  readonly host: SessionHost;
  readonly options: {
    readonly reconnectBackoffMs: number;
    readonly housekeepingMs: number;
    readonly idleCheckMs: number;
    readonly mediaCacheBytes: number;
    readonly presence: PresenceReporterOptions;
  };
}

/** Keeps the share (sealed) until the lease the grant gives; every refresh extends it. */
function keepShare(deps: AgentSessionDeps, grant: SessionGrant): SessionGrant {
  deps.leaseClock.observe(grant.serverTime);
  deps.cacheSecrets.keepShare(Buffer.from(grant.cacheKeyShare, 'base64url'), grant.offlineLeaseEndsAt, grant.agent.id, deps.leaseClock.now());
  return grant;
}

export class AgentSession {
  #agent: SignedInAgent;
  /** The agent's teams as the server last said (the grant, then each view_changed). */
  #teams: TeamScope;
  readonly policy: ClientPolicy;
  readonly #deps: AgentSessionDeps;
  readonly #tokens: SessionKeeper;
  readonly #cache: OpenCache;
  readonly #sync: InboxSync;
  /** A conversation's scheduled messages and reminder: the server's online, the cache's offline. */
  readonly schedule: ScheduleSync;
  readonly #outbox: OutboxSender;
  readonly #idle: IdleLock;
  readonly #stream: EventStream;
  /** The words of the notifications main shows, in the system's language. */
  readonly #text: DesktopText;
  readonly #desk: DeskStatus;
  /** The safety policy the server enforces, as this workstation last read it. */
  readonly safety: SafetyPolicyKeeper;
  #housekeeping: NodeJS.Timeout | undefined;
  #connection: ConnectionState = { status: 'offline' };
  /** Set once the feed said `ready`: replayed events before it are no news worth a notification. */
  #streamLive = false;
  /** The reason of the socket's last `session_revoked` event, read when the socket then closes. */
  #endReason: string | undefined;
  #disposed = false;
  #started = false;

  /** Keeps the grant's share and opens the cache with it, in its worker; nothing runs until start(). */
  static async open(grant: SessionGrant, deps: AgentSessionDeps): Promise<AgentSession> {
    const tokens = new SessionKeeper(async (refreshToken) => keepShare(deps, await deps.api.refresh(refreshToken)), deps.platform.now);
    tokens.set(keepShare(deps, grant));
    const now = deps.leaseClock.now();
    const keys = deps.cacheSecrets.keys(now);
    const cache = await openCache({
      userDataDir: deps.platform.userDataDir,
      keys: { database: keys.database, media: keys.media, agentId: keys.agentId },
      mediaCapBytes: deps.options.mediaCacheBytes,
      now,
    });
    return new AgentSession(grant, tokens, cache, deps);
  }

  private constructor(grant: SessionGrant, tokens: SessionKeeper, cache: OpenCache, deps: AgentSessionDeps) {
    this.#agent = grant.agent;
    this.#teams = grant.teams;
    this.policy = grant.policy;
    this.#deps = deps;
    this.#tokens = tokens;
    this.#cache = cache;
    const { api, platform } = deps;
    this.#text = desktopTextFor(platform.machine.osLocale());
    this.#sync = new InboxSync({
      cache,
      api,
      accessToken: () => tokens.accessToken(),
      viewer: () => this.viewer,
      online: () => this.#connection.status === 'online',
    });
    this.schedule = new ScheduleSync({
      cache,
      api: scheduleApi(() => api.target),
      call: (work) => this.call(work),
      online: () => this.#connection.status === 'online',
    });
    this.#outbox = new OutboxSender({
      outbox: cache,
      send: async (compose) => (await this.withToken((token) => api.send(token, sendRequestOf(compose)))).message,
      emit: (entry) => deps.host.emit('outbox', entry),
      onFatal: (error) => this.react(error),
      now: platform.now,
    });
    this.#idle = new IdleLock(platform.idle, (reason) => deps.host.lock(reason), deps.options.idleCheckMs);
    const lastSeq = cache.lastSeqAtOpen;
    this.#stream = new EventStream(
      {
        target: api.target,
        proof: () => api.proof('events.connect'),
        accessToken: () => tokens.accessToken(),
        initialBackoffMs: deps.options.reconnectBackoffMs,
        locked: () => this.#desk.lockedAtConnect(),
        handlers: {
          onEvent: (event) => this.#onServerEvent(event),
          onConnection: (status) => this.#onConnection(status),
          onEnd: (end, reason, cause) => this.#streamEnded(end, reason, cause),
        },
      },
      lastSeq > 0 ? lastSeq : undefined,
    );
    this.safety = new SafetyPolicyKeeper({
      fetch: () => this.withToken((token) => callJson(api.target, CLIENT_API.getSafetyPolicy, { token })),
      changed: (view) => {
        if (!this.#disposed) deps.host.emit('safetyPolicy', view);
      },
      failed: (error) => this.react(error),
    });
    this.#desk = new DeskStatus({
      api,
      platform,
      presence: deps.options.presence,
      call: (work) => this.call(work),
      online: () => this.#connection.status === 'online',
      readsConversations: () => readsConversations(this.viewer),
      emit: (status) => {
        if (!this.#disposed) deps.host.emit('myStatus', status);
      },
    });
  }

  /** The idle lock, the event stream and housekeeping begin (once; the briefing screen comes before). */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    // The cache may hold conversations of an earlier view (teams changed since the last sign-in).
    this.#sync.followView().catch((error: unknown) => this.react(error));
    this.#idle.start(this.policy.idleLockMinutes);
    this.#desk.start();
    this.safety.refreshLater();
    this.#stream.start();
    this.#housekeeping = setInterval(() => this.#houseKeep(), this.#deps.options.housekeepingMs);
  }

  /**
   * Everything stops and the tokens are forgotten at once (nothing reacts any more); resolves
   * once the cache has answered what was asked of it and closed, its worker ended.
   */
  dispose(): Promise<void> {
    this.#disposed = true;
    this.#idle.stop();
    this.#desk.stop();
    if (this.#housekeeping !== undefined) clearInterval(this.#housekeeping);
    this.#stream.stop();
    this.#tokens.clear();
    return this.#cache.close();
  }

  get agent(): SignedInAgent {
    return this.#agent;
  }

  /** Who the visibility rule judges: this agent with their roles and teams as the server last said. */
  get viewer(): ConversationViewer {
    return { agentId: this.#agent.id, roles: this.#agent.roles, memberOf: this.#teams.memberOf, supervises: this.#teams.supervises };
  }

  get connection(): ConnectionState {
    return this.#connection;
  }

  /** The grant held now (refreshed as it goes), for the logout call. */
  get grant(): SessionGrant | undefined {
    return this.#tokens.grant;
  }

  /** The feed position the event stream has reached. */
  get feedPosition(): number {
    return this.#stream.lastSeq;
  }

  // ---------------------------------------------------------------------------------------------
  // Calls to the server on behalf of the agent

  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.#tokens.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (isCodedError(error) && error.code === 'session_expired') return call((await this.#tokens.refreshNow()).accessToken);
      throw error;
    }
  }

  /** A call with the agent's token; a refusal that ends the session is acted on before it is thrown. */
  async call<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await this.withToken(call);
    } catch (error) {
      this.react(error);
      throw error;
    }
  }

  /**
   * A refusal that changes what this workstation may do ends the session: the core takes over
   * (a revocation or an outdated app even when it answers a call of a session already ended).
   */
  react(error: unknown): void {
    if (isCodedError(error) && error.code === 'briefing_acknowledgement_required') return this.#deps.host.briefingDue(this);
    const end = endOf(error);
    if (end !== undefined) this.#deps.host.ended(this, end);
  }

  // ---------------------------------------------------------------------------------------------
  // The inbox, from the cache first

  /** Serves a read from the cache (and the server when the cache runs short). */
  async read<T>(read: (sync: InboxSync) => Promise<T>): Promise<T> {
    try {
      return await read(this.#sync);
    } catch (error) {
      this.react(error);
      throw error;
    }
  }

  /** `number`: only in the conversations of that business number. */
  search(query: string, limit: number, number?: string): Promise<SearchHit[]> {
    return this.#cache.search(this.viewer, query, limit, number);
  }

  /**
   * The business numbers to filter by: the server's list, or offline the numbers of the
   * conversations this workstation holds.
   */
  async businessNumbers(): Promise<BusinessNumberOptions> {
    if (this.#connection.status === 'online') {
      try {
        return await this.call((token) => this.#deps.api.businessNumbers(token));
      } catch {
        // Unreachable after all: what the cache knows is better than no filter.
      }
    }
    return { numbers: await this.#cache.numbersSeen(this.viewer) };
  }

  async markRead(conversationId: number): Promise<void> {
    // As of the feed position before the call: a notice that came meanwhile is newer.
    const askedAt = await this.#cache.lastSeq();
    const marked = await this.call((token) => this.#deps.api.markRead(token, conversationId));
    if (!this.#disposed) await this.#cache.storePage({ conversations: [marked.conversation] }, askedAt);
  }

  /** The server checks, audits and makes the change; the conversation as it stands then is kept as of the position before the call. */
  async changeState(conversationId: number, change: ChangeConversationStateBody): Promise<ConversationSummary> {
    return this.changeConversation((token) => this.#deps.api.changeState(token, conversationId, change));
  }

  /** Any change the server checks, audits and makes to a conversation (a block, an unblock): kept as it stands then, as of the position before the call. */
  async changeConversation(ask: (token: string) => Promise<{ conversation: ConversationSummary }>): Promise<ConversationSummary> {
    const askedAt = await this.#cache.lastSeq();
    const { conversation } = await this.call(ask);
    if (!this.#disposed) await this.#cache.storePage({ conversations: [conversation] }, askedAt);
    return conversation;
  }

  /**
   * A hand-over the server checks, audits and makes: the conversation as it stands then is kept
   * as of the position before the call; one that left this agent's view leaves their cache with
   * the feed's notice, which this call's own change puts on the feed.
   */
  async handOver(ask: (token: string) => Promise<HandedOver>): Promise<HandedOver> {
    const askedAt = await this.#cache.lastSeq();
    const answer = await this.call(ask);
    if (!this.#disposed && answer.conversation !== null) await this.#cache.storePage({ conversations: [answer.conversation] }, askedAt);
    return answer;
  }

  async media(mediaId: number): Promise<{ mimeType: string; bytes: Uint8Array<ArrayBuffer> }> {
    // From the cache only for a cached message the agent may still see; else the server decides.
    const cached = await this.#cache.cachedMedia(this.viewer, mediaId);
    if (cached !== undefined) return cached;
    const fetched = await this.call((token) => this.#deps.api.downloadMedia(token, mediaId, MAX_PREVIEW_BYTES));
    // Kept only beside such a message, judged when the bytes arrive (a hand-over may have come meanwhile).
    if (!this.#disposed) await this.#cache.keepMedia(this.viewer, mediaId, fetched.mimeType, fetched.bytes);
    return fetched;
  }

  // ---------------------------------------------------------------------------------------------
  // Presence

  /** The screen lock, availability, time zone and the conversation shown, as the server hears them. */
  get desk(): DeskStatus {
    return this.#desk;
  }

  // ---------------------------------------------------------------------------------------------
  // The outbox

  async send(compose: ComposeMessage): Promise<OutboxEntry> {
    this.#desk.presence.sent(compose.conversationId);
    const added = await this.#cache.outboxAdd(compose, this.#deps.platform.now());
    return this.#afterFlush(added, await this.#outbox.flush());
  }

  outboxOf(conversationId: number): Promise<OutboxEntry[]> {
    return this.#cache.outboxList(conversationId);
  }

  /** `confirmedCode`: the agent confirmed a message the server held as looking like it carries a code. */
  async retry(clientMessageId: string, confirmedCode = false): Promise<OutboxEntry> {
    const entry = await this.#cache.outboxRetry(clientMessageId, this.#deps.platform.now(), confirmedCode);
    if (entry === undefined) throw new CodedError('outbox_entry_not_found', 'This message is no longer waiting to be sent.');
    return this.#afterFlush(entry, await this.#outbox.flush());
  }

  async discard(clientMessageId: string): Promise<void> {
    if (!(await this.#cache.outboxRemove(clientMessageId))) throw new CodedError('outbox_entry_not_found', 'This message is no longer waiting to be sent.');
  }

  /** The entry after a flush: sent by it, or as the outbox holds it now (waiting or refused). */
  async #afterFlush(entry: OutboxEntry, sent: ReadonlyMap<string, OutboxEntry>): Promise<OutboxEntry> {
    const done = sent.get(entry.clientMessageId);
    if (done !== undefined || this.#disposed) return done ?? entry;
    return (await this.#cache.outboxGet(entry.clientMessageId)) ?? entry;
  }

  /** A flush nobody waits for (a reconnect, housekeeping): one the session's end cuts short is picked up by the next session. */
  #flushLater(): void {
    this.#outbox.flush().catch(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------
  // The feed and housekeeping

  #houseKeep(): void {
    if (this.#deps.cacheSecrets.holdLease(this.#deps.leaseClock, HIGH_WATER_STEP_MS) !== 'held') {
      // The lease ran out without the server renewing it: the cache closes until the agent signs in again.
      this.#deps.host.ended(this, { kind: 'lease_expired', problem: uiError(leaseExpired()) });
      return;
    }
    if (this.#connection.status === 'online') {
      this.#flushLater();
      this.#desk.housekeep();
    }
  }

  #onConnection(status: ConnectionState['status']): void {
    if (status !== 'online') this.#streamLive = false;
    this.#connection = { status };
    this.#deps.host.emit('connection', this.#connection);
    if (status === 'online') {
      this.#flushLater();
      this.#desk.connected();
      this.safety.refreshLater();
    }
  }

  #onServerEvent(event: ServerEvent): void {
    if (this.#disposed) return;
    const { host } = this.#deps;
    if (event.type === 'device_revoked') return host.ended(this, { kind: 'revoked', reason: event.reason });
    if (event.type === 'session_revoked') {
      this.#endReason = event.reason;
      return;
    }
    if (event.type === 'view_changed') return this.#viewChanged(event.roles, event.teams);
    if (event.type === 'safety_policy_changed') return this.safety.heard(event.version);
    if (event.type === 'briefing_published') return host.briefingDue(this);
    if (event.type === 'ready' || event.type === 'resync') {
      // Replayed events came before `ready`: only what follows is news worth a notification.
      if (event.type === 'ready') this.#streamLive = true;
      const loading = event.type === 'ready' ? this.#sync.ready(event.lastSeq) : this.#sync.resync(event.lastSeq);
      void loading
        .then(() => {
          // The renderer reloads what it shows from the cache, now up to date.
          if (host.inboxShown()) host.emit('inbox', { type: 'resync', lastSeq: event.lastSeq });
        })
        .catch((error: unknown) => this.react(error));
      return;
    }
    if (event.type === 'template_changed') {
      // Ephemeral like presence: the screens show it, nothing keeps it.
      if (host.inboxShown()) host.emit('template', event.template);
      return;
    }
    if (event.type === 'presence') {
      // Ephemeral: shown, never kept.
      if (host.inboxShown()) host.emit('presence', event);
      return;
    }
    if (event.type === 'conversation_hidden') this.#desk.presence.hidden(event.conversationId);
    // Applied in the worker before any read the renderer makes on hearing of it: it answers in order.
    this.#sync.apply(event).catch((error: unknown) => this.react(error));
    if (!host.inboxShown()) return;
    host.emit('inbox', event);
    const notification = this.#streamLive ? notificationOf(event, this.policy, this.#text) : undefined;
    if (notification !== undefined) this.#deps.platform.desktop.notify(notification);
  }

  /**
   * The server says what this agent may see now (at each connect, and when an admin changed their
   * roles or teams): the cache drops what left the view and loads what joined it, then the
   * renderer reloads from it. Nothing happens when the view is the one already held.
   */
  #viewChanged(roles: readonly Role[], teams: TeamScope): void {
    const rolesChanged = roles.join(',') !== this.#agent.roles.join(',');
    const teamsChanged = teams.memberOf.join(',') !== this.#teams.memberOf.join(',') || teams.supervises.join(',') !== this.#teams.supervises.join(',');
    if (!rolesChanged && !teamsChanged) return;
    this.#agent = { ...this.#agent, roles: [...roles] };
    this.#teams = { memberOf: [...teams.memberOf], supervises: [...teams.supervises] };
    const { host } = this.#deps;
    if (rolesChanged) host.agentChanged(this);
    void this.#sync
      .followView()
      .then(() => {
        if (!this.#disposed && host.inboxShown()) host.emit('inbox', { type: 'resync', lastSeq: this.#stream.lastSeq });
      })
      .catch((error: unknown) => this.react(error));
  }

  #streamEnded(end: StreamEnd, reason: string, cause: unknown): void {
    if (this.#disposed) return;
    const { host } = this.#deps;
    if (end === 'device_revoked') return host.ended(this, { kind: 'revoked', reason });
    if (end === 'client_outdated' && isCodedError(cause) && cause.code === 'client_outdated') return host.ended(this, { kind: 'outdated', error: cause });
    host.ended(this, { kind: 'lost', why: end === 'session_revoked' ? (this.#endReason ?? reason) : reason, problem: SESSION_ENDED });
  }
}
