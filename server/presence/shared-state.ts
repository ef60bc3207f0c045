/**
 * The state several server replicas would have to share, behind one small interface each: who is
 * online, who is in which conversation (viewing, typing), and the wake-ups of timed jobs. Today
 * one process holds it all (`inProcessSharedState`); a store-backed or broadcast version (issue 15)
 * replaces the implementation, not the callers. docs/inbox-server.md says what such a version must
 * provide.
 *
 * None of it is durable and none of it is the record: an agent's availability and time zone are
 * in the store (agent_settings); what lives here is rebuilt from the event sockets as clients
 * (re)connect.
 */
import type { ConversationViewer } from '../../common/api/conversation-access.js';

export interface SessionRef {
  readonly sessionId: number;
  readonly agentId: number;
}

/** One agent as the desk sees them now. */
export interface AgentOnline {
  readonly agentId: number;
  /** An event socket of one of the agent's sessions is open. */
  readonly connected: boolean;
  /** Connected, and the screen of every connected workstation of theirs is locked. */
  readonly locked: boolean;
  /** As last told (the store has it for agents not connected here). */
  readonly available: boolean;
  /** connected && !locked && available: may take new conversations. */
  readonly online: boolean;
}

export interface OnlineAgents {
  /**
   * A session's event socket opened, its workstation's screen lock and the agent's availability
   * as they are now; the function returned is the socket's close. A session may have more than
   * one socket open for a moment (a reconnect overlapping the old socket's close): it counts once.
   */
  socketOpened(session: SessionRef, state: { readonly locked: boolean; readonly available: boolean }): () => void;
  /** The workstation of this session locked or unlocked its screen. */
  screenLocked(sessionId: number, locked: boolean): void;
  /** The agent set available or away (already stored). */
  availabilityChanged(agentId: number, available: boolean): void;
  /** Whether the session has a socket open (a reconnect may open the next before the last one's close is heard). */
  sessionConnected(sessionId: number): boolean;
  stateOf(agentId: number): AgentOnline;
  isOnline(agentId: number): boolean;
  /** Those of `agentIds` who are online: what routing asks of a team's members. */
  onlineAmong(agentIds: Iterable<number>): number[];
  /** Called with an agent's state whenever any part of it changes; returns an unsubscribe. */
  onChange(listener: (state: AgentOnline) => void): () => void;
}

/** Someone in a conversation: which session, who, and whether typing. */
export interface PresenceEntry {
  readonly sessionId: number;
  readonly agentId: number;
  readonly name: string;
  /** Who they are to the need-to-know rule: presence is shown only while they may still see the conversation. */
  readonly viewer: ConversationViewer;
  readonly typing: boolean;
}

export type PresenceWho = Omit<PresenceEntry, 'typing'>;

export interface ConversationPresence {
  /**
   * This session has `conversationId` open (typing in it or not), until the report expires
   * unless renewed; null: it has none open. Replaces the session's earlier report.
   */
  report(who: PresenceWho, conversationId: number | null, typing: boolean): void;
  /** The session views nothing any more (its socket closed, its screen locked, its view of the conversation taken away). */
  forget(sessionId: number): void;
  in(conversationId: number): PresenceEntry[];
  /** Called with a conversation whose presence changed (someone came, left, began or stopped typing, expired). */
  onChange(listener: (conversationId: number) => void): () => void;
}

export interface TimerWakeups {
  /** A job became due at `dueAt` (scheduled, or moved): every runner re-arms its timer. */
  announce(dueAt: number): void;
  onAnnounced(listener: (dueAt: number) => void): () => void;
}

export interface SharedState {
  readonly online: OnlineAgents;
  readonly presence: ConversationPresence;
  readonly wakeups: TimerWakeups;
  /** Begins expiring what clients stopped renewing. */
  start(): void;
  stop(): void;
}
