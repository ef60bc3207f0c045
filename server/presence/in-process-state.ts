/**
 * The shared state held by this one process (shared-state.ts): what one server needs, and what a
 * store-backed or broadcast version for several replicas replaces.
 */
import type { AgentOnline, ConversationPresence, OnlineAgents, PresenceEntry, PresenceWho, SessionRef, SharedState, TimerWakeups } from './shared-state.js';

export interface InProcessStateOptions {
  /** A viewing report holds this long unless renewed (a crashed client's presence goes then). */
  readonly viewingTtlMs?: number;
  /** A typing report holds this long unless renewed. */
  readonly typingTtlMs?: number;
  /** How often expired reports are looked for. */
  readonly sweepMs?: number;
  readonly now?: () => number;
}

export const PRESENCE_DEFAULTS = { viewingTtlMs: 45_000, typingTtlMs: 6_000, sweepMs: 1_000 } as const;

class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.#listeners) listener(value);
  }
}

class InProcessOnlineAgents implements OnlineAgents {
  /** Sessions with a socket open here. */
  readonly #sessions = new Map<number, { agentId: number; sockets: number; locked: boolean }>();
  readonly #available = new Map<number, boolean>();
  readonly #changes = new Listeners<AgentOnline>();

  socketOpened(session: SessionRef, state: { readonly locked: boolean; readonly available: boolean }): () => void {
    this.#changing(session.agentId, () => {
      const known = this.#sessions.get(session.sessionId);
      if (known === undefined) this.#sessions.set(session.sessionId, { agentId: session.agentId, sockets: 1, locked: state.locked });
      else {
        known.sockets += 1;
        known.locked = state.locked;
      }
      this.#available.set(session.agentId, state.available);
    });
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.#changing(session.agentId, () => {
        const known = this.#sessions.get(session.sessionId);
        if (known === undefined) return;
        known.sockets -= 1;
        if (known.sockets <= 0) this.#sessions.delete(session.sessionId);
      });
    };
  }

  screenLocked(sessionId: number, locked: boolean): void {
    const known = this.#sessions.get(sessionId);
    if (known === undefined) return;
    this.#changing(known.agentId, () => {
      known.locked = locked;
    });
  }

  availabilityChanged(agentId: number, available: boolean): void {
    this.#changing(agentId, () => this.#available.set(agentId, available));
  }

  sessionConnected(sessionId: number): boolean {
    return this.#sessions.has(sessionId);
  }

  stateOf(agentId: number): AgentOnline {
    const sessions = [...this.#sessions.values()].filter((session) => session.agentId === agentId);
    const connected = sessions.length > 0;
    const locked = connected && sessions.every((session) => session.locked);
    const available = this.#available.get(agentId) ?? true;
    return { agentId, connected, locked, available, online: connected && !locked && available };
  }

  isOnline(agentId: number): boolean {
    return this.stateOf(agentId).online;
  }

  onlineAmong(agentIds: Iterable<number>): number[] {
    return [...new Set(agentIds)].filter((agentId) => this.isOnline(agentId));
  }

  onChange(listener: (state: AgentOnline) => void): () => void {
    return this.#changes.add(listener);
  }

  /** Runs `change` and tells the listeners when it changed the agent's state. */
  #changing(agentId: number, change: () => void): void {
    const before = this.stateOf(agentId);
    change();
    const after = this.stateOf(agentId);
    if (before.connected !== after.connected || before.locked !== after.locked || before.available !== after.available) this.#changes.emit(after);
  }
}

interface Report {
  readonly who: PresenceWho;
  readonly conversationId: number;
  viewingUntil: number;
  typingUntil: number;
  /** As last told to the listeners. */
  typing: boolean;
}

class InProcessConversationPresence implements ConversationPresence {
  readonly #reports = new Map<number, Report>();
  readonly #changes = new Listeners<number>();
  readonly #viewingTtlMs: number;
  readonly #typingTtlMs: number;
  readonly #now: () => number;

  constructor(options: Required<Omit<InProcessStateOptions, 'sweepMs'>>) {
    this.#viewingTtlMs = options.viewingTtlMs;
    this.#typingTtlMs = options.typingTtlMs;
    this.#now = options.now;
  }

  report(who: PresenceWho, conversationId: number | null, typing: boolean): void {
    const before = this.#reports.get(who.sessionId);
    if (conversationId === null) return this.forget(who.sessionId);
    const now = this.#now();
    this.#reports.set(who.sessionId, {
      who,
      conversationId,
      viewingUntil: now + this.#viewingTtlMs,
      typingUntil: typing ? now + this.#typingTtlMs : 0,
      typing,
    });
    if (before !== undefined && before.conversationId !== conversationId) this.#changes.emit(before.conversationId);
    if (before?.conversationId !== conversationId || before.typing !== typing) this.#changes.emit(conversationId);
  }

  forget(sessionId: number): void {
    const before = this.#reports.get(sessionId);
    if (before === undefined) return;
    this.#reports.delete(sessionId);
    this.#changes.emit(before.conversationId);
  }

  in(conversationId: number): PresenceEntry[] {
    return [...this.#reports.values()].filter((report) => report.conversationId === conversationId).map((report) => ({ ...report.who, typing: report.typing }));
  }

  onChange(listener: (conversationId: number) => void): () => void {
    return this.#changes.add(listener);
  }

  /** Reports not renewed in time: the viewer left, or stopped typing. */
  sweep(): void {
    const now = this.#now();
    const changed = new Set<number>();
    for (const [sessionId, report] of this.#reports) {
      if (report.viewingUntil <= now) {
        this.#reports.delete(sessionId);
        changed.add(report.conversationId);
      } else if (report.typing && report.typingUntil <= now) {
        report.typing = false;
        changed.add(report.conversationId);
      }
    }
    for (const conversationId of changed) this.#changes.emit(conversationId);
  }
}

class InProcessWakeups implements TimerWakeups {
  readonly #listeners = new Listeners<number>();

  announce(dueAt: number): void {
    this.#listeners.emit(dueAt);
  }

  onAnnounced(listener: (dueAt: number) => void): () => void {
    return this.#listeners.add(listener);
  }
}

export function inProcessSharedState(options: InProcessStateOptions = {}): SharedState {
  const settings = {
    viewingTtlMs: options.viewingTtlMs ?? PRESENCE_DEFAULTS.viewingTtlMs,
    typingTtlMs: options.typingTtlMs ?? PRESENCE_DEFAULTS.typingTtlMs,
    now: options.now ?? Date.now,
  };
  const presence = new InProcessConversationPresence(settings);
  const sweepMs = options.sweepMs ?? PRESENCE_DEFAULTS.sweepMs;
  let sweeper: NodeJS.Timeout | undefined;
  return {
    online: new InProcessOnlineAgents(),
    presence,
    wakeups: new InProcessWakeups(),
    start() {
      sweeper ??= setInterval(() => presence.sweep(), sweepMs);
    },
    stop() {
      if (sweeper !== undefined) clearInterval(sweeper);
      sweeper = undefined;
    },
  };
}
