/**
 * Assignment within a team, as the server runs it (team-queue.ts does the store work): the entry
 * points every path where room may appear calls inside its own transaction, and what follows
 * who is online. Room appears when a member frees a place (resolves, snoozes, hands one over),
 * comes online (connects, unlocks, becomes available), is given more capacity or joins a team;
 * a conversation arrives or goes back to the queue. A sweep fills every team with a queue now and
 * then, for what changed where no fill was called (the admin CLI's changes, another process's, a
 * fill rolled back with its transaction).
 */
import type { Logger } from 'pino';
import type { JobRunner } from '../jobs/job-runner.js';
import type { AgentOnline, OnlineAgents } from '../presence/shared-state.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import { cancelOfflineRequeues, isHere, offlineRequeueKind, scheduleOfflineRequeues } from './offline-requeue.js';
import { STATES_HELD_AGAINST_CAPACITY } from '../inbox/agent-load.js';
import type { Assigned, TeamFilling } from '../inbox/team-filling.js';
import { fillRoomOf, fillTeam, teamsWithQueue } from './team-queue.js';

export interface RouterDeps {
  readonly committer: GroupCommitter;
  readonly online: OnlineAgents;
  readonly jobs: Pick<JobRunner, 'schedule' | 'register'>;
  readonly log: Logger;
  readonly now: () => number;
}

export interface RouterOptions {
  /** How often every team with a queue is filled (default 15 s). */
  readonly sweepMs?: number;
}

export class Router implements TeamFilling {
  readonly #deps: RouterDeps;
  readonly #sweepMs: number;
  /** Each agent as last heard, to tell "went offline" and "came back" from other changes. */
  readonly #last = new Map<number, AgentOnline>();
  #unsubscribe: (() => void) | undefined;
  #sweep: NodeJS.Timeout | undefined;

  constructor(deps: RouterDeps, options: RouterOptions = {}) {
    this.#deps = deps;
    this.#sweepMs = options.sweepMs ?? 15_000;
    deps.jobs.register(offlineRequeueKind(deps.online));
  }

  fillTeam(trx: StoreTransaction, teamId: number, now: number): Promise<Assigned[]> {
    return fillTeam(trx, teamId, this.#deps.online, now);
  }

  fillRoomOf(trx: StoreTransaction, agentId: number, now: number): Promise<Assigned[]> {
    return fillRoomOf(trx, agentId, this.#deps.online, now);
  }

  /** Follows who is online, and sweeps; and gives a requeue to each holder who is not here now (the server may have stopped while they were). */
  start(): void {
    if (this.#unsubscribe === undefined) void this.#requeueAbsentHolders();
    this.#unsubscribe ??= this.#deps.online.onChange((state) => this.#changed(state));
    this.#sweep ??= setInterval(() => void this.sweep(), this.#sweepMs);
    this.#sweep.unref();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  /** Fills every team with someone waiting; answers what was assigned. */
  async sweep(): Promise<Assigned[]> {
    try {
      return await this.#deps.committer.submit(async (trx) => {
        const now = this.#deps.now();
        const assigned: Assigned[] = [];
        for (const teamId of await teamsWithQueue(trx)) assigned.push(...(await this.fillTeam(trx, teamId, now)));
        return assigned;
      });
    } catch (error) {
      this.#deps.log.error({ err: error }, 'filling the teams’ queues failed; the next sweep tries again');
      return [];
    }
  }

  /**
   * A stop or a crash is no change of anyone's online state this process sees: an agent online
   * then, who does not come back, would keep their conversations. So at start each agent holding
   * one is given their requeues (the dedupe key keeps one that waits already); coming back in time
   * cancels them as any return does. Presence is this process's: see docs/inbox-server.md.
   */
  async #requeueAbsentHolders(): Promise<void> {
    const { committer, jobs, now, log, online } = this.#deps;
    try {
      await committer.submit(async (trx) => {
        const at = now();
        const holders = await trx
          .selectFrom('conversations')
          .select('assigned_agent_id')
          .distinct()
          .where('assigned_agent_id', 'is not', null)
          .where('state', 'in', [...STATES_HELD_AGAINST_CAPACITY])
          .execute();
        for (const { assigned_agent_id: agentId } of holders)
          if (agentId !== null && !isHere(online.stateOf(agentId))) await scheduleOfflineRequeues(trx, jobs, agentId, at);
      });
    } catch (error) {
      log.error({ err: error }, 'giving absent holders their requeues at start failed; they get them when they next go offline');
    }
  }

  #changed(state: AgentOnline): void {
    const before = this.#last.get(state.agentId);
    this.#last.set(state.agentId, state);
    const wasHere = before === undefined ? false : isHere(before);
    const here = isHere(state);
    const { committer, jobs, now, log } = this.#deps;
    void committer
      .submit(async (trx) => {
        const at = now();
        if (here && !wasHere) await cancelOfflineRequeues(trx, state.agentId, at);
        if (!here && (wasHere || before === undefined)) await scheduleOfflineRequeues(trx, jobs, state.agentId, at);
        if (state.online) await this.fillRoomOf(trx, state.agentId, at);
      })
      .catch((error: unknown) => log.error({ err: error, agentId: state.agentId }, 'following an agent’s change of online state failed'));
  }
}

/**
 * After a conversation's state changed (resolved, snoozed, pending, opened again): its holder may
 * have room now; one opened again with nobody holding it joins its team's queue, which is filled.
 */
export async function fillAfterStateChange(trx: StoreTransaction, routing: TeamFilling, conversationId: number, now: number): Promise<void> {
  const row = await trx.selectFrom('conversations').select(['assigned_agent_id', 'team_id', 'state']).where('id', '=', conversationId).executeTakeFirst();
  if (row === undefined) return;
  if (row.assigned_agent_id !== null) await routing.fillRoomOf(trx, row.assigned_agent_id, now);
  else if (row.state === 'open' && row.team_id !== null) await routing.fillTeam(trx, row.team_id, now);
}
