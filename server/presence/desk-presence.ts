/**
 * Who is at the desk and where, over the shared state (shared-state.ts): event sockets make an
 * agent connected, their workstation's screen lock and their availability make them online or
 * not, and presence reports put them in a conversation. Each change of a conversation's presence
 * goes, as an ephemeral event on the event socket, to every live socket whose viewer may see the
 * conversation (common/api/conversation-access.ts), naming the others who may see it too.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { EphemeralEvent } from '../../common/api/events.js';
import type { AgentPresenceList, MyStatus, PresenceReport, PresentAgent } from '../../common/api/presence.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import type { CustomerTyping } from '../sending/customer-typing.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { AgentSettings } from './agent-settings.js';
import { agentSettings, availabilityOf, storeAvailability, storeTimeZone } from './agent-settings.js';
import type { AgentOnline, PresenceEntry, SharedState } from './shared-state.js';

/** Where ephemeral events go out: the event feed's live sockets. */
export interface EphemeralSender {
  sendEphemeral(eventFor: (principal: SessionPrincipal) => EphemeralEvent | undefined): void;
}

export interface DeskPresenceDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly shared: SharedState;
  readonly views: InboxViews;
  readonly sockets: EphemeralSender;
  readonly customerTyping: CustomerTyping;
  readonly log: Logger;
  readonly now: () => number;
}

const notFound = (id: number) => new CodedError('conversation_not_found', `There is no conversation ${id} you may see.`);

/** The others in the conversation as `agentId` is told: one line per agent (typing on any of their workstations). */
function othersFor(entries: readonly PresenceEntry[], agentId: number): PresentAgent[] {
  const byAgent = new Map<number, PresentAgent>();
  for (const entry of entries) {
    if (entry.agentId === agentId) continue;
    const known = byAgent.get(entry.agentId);
    byAgent.set(entry.agentId, { agentId: entry.agentId, name: entry.name, typing: entry.typing || known?.typing === true });
  }
  return [...byAgent.values()].sort((a, b) => a.name.localeCompare(b.name) || a.agentId - b.agentId);
}

export class DeskPresence {
  readonly #deps: DeskPresenceDeps;
  /** Conversations whose presence changed and is about to be told. */
  readonly #pending = new Set<number>();
  #unsubscribe: (() => void) | undefined;

  constructor(deps: DeskPresenceDeps) {
    this.#deps = deps;
  }

  get online() {
    return this.#deps.shared.online;
  }

  start(): void {
    this.#deps.shared.start();
    this.#unsubscribe ??= this.#deps.shared.presence.onChange((conversationId) => this.#changed(conversationId));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#deps.shared.stop();
  }

  /** A checked event socket opened: its agent is connected until it closes (locked if the workstation said so). */
  socketOpened(socket: WebSocket, principal: SessionPrincipal, locked: boolean): void {
    const { shared, db, log } = this.#deps;
    void agentSettings(db, principal.agentId).then(
      (settings) => {
        if (socket.readyState !== socket.OPEN) return;
        const closed = shared.online.socketOpened(principal, { locked, available: settings.available });
        socket.once('close', () => {
          closed();
          // A reconnect may have opened the session's next socket already: its presence stays.
          if (!shared.online.sessionConnected(principal.sessionId)) shared.presence.forget(principal.sessionId);
        });
      },
      (error: unknown) => log.error({ err: error, sessionId: principal.sessionId }, 'could not read the agent’s availability for their socket'),
    );
  }

  async status(principal: SessionPrincipal): Promise<MyStatus> {
    return this.#statusOf(principal, await agentSettings(this.#deps.db, principal.agentId));
  }

  async setAvailable(principal: SessionPrincipal, available: boolean): Promise<MyStatus> {
    const settings = await storeAvailability(this.#deps.committer, principal.agentId, available, this.#deps.now());
    this.#deps.shared.online.availabilityChanged(principal.agentId, settings.available);
    return this.#statusOf(principal, settings);
  }

  async setTimeZone(principal: SessionPrincipal, timeZone: string, source: 'workstation' | 'agent'): Promise<MyStatus> {
    return this.#statusOf(principal, await storeTimeZone(this.#deps.committer, principal.agentId, timeZone, source, this.#deps.now()));
  }

  /** A locked screen shows no conversation either. */
  screenLocked(principal: SessionPrincipal, locked: boolean): void {
    this.#deps.shared.online.screenLocked(principal.sessionId, locked);
    if (locked) this.#deps.shared.presence.forget(principal.sessionId);
  }

  /** The workstation shows a conversation (or none), its agent typing or not; refused, and forgotten, for one they may not see. */
  async report(principal: SessionPrincipal, report: PresenceReport): Promise<void> {
    const { shared, views, customerTyping, log } = this.#deps;
    const { conversationId, typing } = report;
    if (conversationId !== null) {
      const conversation = await views.conversation(conversationId);
      if (conversation === undefined || !maySeeConversation(principal, conversation)) {
        shared.presence.forget(principal.sessionId);
        throw notFound(conversationId);
      }
    }
    // The agent as the rule judges them at this report (roles and teams as the store has them now); each renewal reads them again.
    const viewer = { agentId: principal.agentId, roles: principal.roles, memberOf: principal.memberOf, supervises: principal.supervises };
    shared.presence.report({ sessionId: principal.sessionId, agentId: principal.agentId, name: principal.displayName, viewer }, conversationId, typing);
    if (typing && conversationId !== null) {
      customerTyping.agentTyping(conversationId).catch((error: unknown) => log.error({ err: error, conversationId }, 'typing indicator failed unexpectedly'));
    }
  }

  /**
   * The active agents of the teams `supervises` names (their members and supervisors), for a
   * supervisor: availability from the store, the rest from the shared state. Nobody of another team.
   */
  async agents(supervises: readonly number[]): Promise<AgentPresenceList> {
    if (supervises.length === 0) return { agents: [] };
    const { db } = this.#deps;
    const teams = [...supervises];
    const agents = await db
      .selectFrom('agents')
      .select(['id', 'username', 'display_name'])
      .where('status', '=', 'active')
      .where((eb) =>
        eb.or([
          eb('id', 'in', eb.selectFrom('team_members').select('agent_id').where('team_id', 'in', teams)),
          eb('id', 'in', eb.selectFrom('team_supervisors').select('agent_id').where('team_id', 'in', teams)),
        ]),
      )
      .orderBy('display_name')
      .orderBy('id')
      .execute();
    const states = await this.statesOf(agents.map((agent) => agent.id));
    return {
      agents: agents.map((agent) => ({
        agentId: agent.id,
        username: agent.username,
        displayName: agent.display_name,
        ...(states.get(agent.id) ?? { connected: false, locked: false, available: true, online: false }),
      })),
    };
  }

  /** Each agent's state now, in one read of the store (their availability) for all of them. */
  async statesOf(agentIds: readonly number[]): Promise<Map<number, Omit<AgentOnline, 'agentId'>>> {
    const { db, shared } = this.#deps;
    const available = await availabilityOf(db, [...agentIds]);
    return new Map(
      agentIds.map((agentId) => {
        const state = shared.online.stateOf(agentId);
        const isAvailable = available.get(agentId) ?? true;
        return [agentId, { connected: state.connected, locked: state.locked, available: isAvailable, online: state.connected && !state.locked && isAvailable }];
      }),
    );
  }

  #statusOf(principal: SessionPrincipal, settings: AgentSettings): MyStatus {
    const state = this.#deps.shared.online.stateOf(principal.agentId);
    return { ...settings, online: state.connected && !state.locked && settings.available };
  }

  /** Changes in the same turn of the event loop are told once. */
  #changed(conversationId: number): void {
    if (this.#pending.has(conversationId)) return;
    this.#pending.add(conversationId);
    setImmediate(() => {
      this.#pending.delete(conversationId);
      this.#tell(conversationId).catch((error: unknown) => this.#deps.log.error({ err: error, conversationId }, 'presence could not be told'));
    });
  }

  async #tell(conversationId: number): Promise<void> {
    const conversation = await this.#deps.views.conversation(conversationId);
    if (conversation === undefined) return;
    const sees = (viewer: ConversationViewer) => maySeeConversation(viewer, conversation);
    // Someone who lost the conversation since their last report is no longer shown in it.
    const entries = this.#deps.shared.presence.in(conversationId).filter((entry) => sees(entry.viewer));
    this.#deps.sockets.sendEphemeral((principal) =>
      sees(principal) ? { type: 'presence', conversationId, others: othersFor(entries, principal.agentId) } : undefined,
    );
  }
}
