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
export type { TeamFilling } from '../inbox/team-filling.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { AgentOnline, OnlineAgents } from '../presence/shared-state.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import { cancelOfflineRequeues, isHere, offlineRequeueKind, scheduleOfflineRequeues } from './offline-requeue.js';
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

  /** Follows who is online, and sweeps. */
  start(): void {
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
