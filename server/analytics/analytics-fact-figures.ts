/**
 * The figures of a period's conversation facts, worked out in SQL (docs/analytics.md, "What each
 * figure counts"): counts by GROUP BY over the facts' roles, and the nearest-rank median and p90 by
 * ROW_NUMBER and COUNT over the sorted times (of all, per team, per agent, in one statement), so a
 * report reads a few rows per team and agent, never the period's facts one by one. The facts are
 * read through covering indexes (migration 0035); the same statements run on SQLite and PostgreSQL.
 *
 * A fact has three roles: its holder (opened in the period; unanswered and past its team's
 * target), its first responder (answered, within the target, the time to the answer) and its
 * resolver (resolved in the period, the time to it). Totals and a team's row count every role
 * (an agent's scope: the roles that agent had), an agent's row the roles they had.
 */
import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { DEFAULT_TARGET_SECONDS } from '../../common/analytics/analytics-query.js';
import type { Durations, WithinTarget } from '../../common/analytics/analytics-report.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Period } from './analytics-period.js';
import type { AnalyticsScope } from './analytics-scope.js';

export interface FactFigures {
  conversationsOpened: number;
  conversationsResolved: number;
  firstResponse: Durations;
  resolution: Durations;
  answeredWithinTarget: WithinTarget;
}

export interface PeriodFactFigures {
  readonly total: FactFigures;
  /** Per team (0: none), for every team a fact of the period has. */
  readonly teams: ReadonlyMap<number, FactFigures>;
  /** Per agent, for every agent a fact of the period names (holder, first responder or resolver). */
  readonly agents: ReadonlyMap<number, FactFigures>;
}

export function noFactFigures(): FactFigures {
  return {
    conversationsOpened: 0,
    conversationsResolved: 0,
    firstResponse: { count: 0, median: null, p90: null },
    resolution: { count: 0, median: null, p90: null },
    answeredWithinTarget: { within: 0, counted: 0, share: null },
  };
}

/** The scope's conditions over the facts `c`. */
function scopeOf(scope: AnalyticsScope): RawBuilder<unknown> {
  const conditions: Array<RawBuilder<unknown>> = [sql`1 = 1`];
  if (scope.teamIds !== null) conditions.push(sql`c.team_id IN (${sql.join(scope.teamIds)})`);
  if (scope.teamId !== undefined) conditions.push(sql`c.team_id = ${scope.teamId}`);
  if (scope.phoneNumberId !== undefined) conditions.push(sql`c.phone_number_id = ${scope.phoneNumberId}`);
  if (scope.agentId !== undefined) {
    const a = scope.agentId;
    conditions.push(sql`(c.agent_id = ${a} OR c.first_response_agent_id = ${a} OR c.resolved_by_agent_id = ${a})`);
  }
  return sql.join(conditions, sql` AND `);
}

const num = (value: number | string | null) => Number(value ?? 0);
type Cell = number | string | null;

interface OpenedRow {
  team: Cell;
  holder: number | null;
  responder: number | null;
  opened: Cell;
  answered: Cell;
  within: Cell;
  late: Cell;
}
interface ResolvedRow {
  team: Cell;
  holder: number | null;
  responder: number | null;
  resolver: number | null;
  resolved: Cell;
}
interface RankRow {
  k: Cell;
  v: Cell;
  rn: Cell;
  n: Cell;
}

export async function periodFactFigures(db: Kysely<InboxDatabase>, period: Period, scope: AnalyticsScope, now: number): Promise<PeriodFactFigures> {
  const { startsAt: s, endsAt: e } = period;
  const where = scopeOf(scope);
  const target = sql.raw(
    `coalesce((SELECT t.first_response_target_seconds FROM analytics_team_targets t WHERE t.team_id = c.team_id), ${DEFAULT_TARGET_SECONDS}) * 1000`,
  );
  const openedIn = sql`c.opened_at >= ${s} AND c.opened_at < ${e}`;
  // Opened before the period and resolved in it (an OR with the opened range would merge the two indexes row by row).
  const resolvedOnlyIn = sql`c.resolved_at >= ${s} AND c.resolved_at < ${e} AND c.opened_at < ${s}`;
  const resolvedIn = sql`c.resolved_at >= ${s} AND c.resolved_at < ${e}`;
  const answered = sql.raw('c.first_inbound_at IS NOT NULL AND c.first_response_at IS NOT NULL');
  const a = scope.agentId;

  const opened = await sql<OpenedRow>`SELECT coalesce(c.team_id, 0) AS team, c.agent_id AS holder, c.first_response_agent_id AS responder, count(*) AS opened,
      sum(CASE WHEN ${answered} THEN 1 ELSE 0 END) AS answered,
      sum(CASE WHEN ${answered} AND c.first_response_at - c.first_inbound_at <= ${target} THEN 1 ELSE 0 END) AS within,
      sum(CASE WHEN c.first_inbound_at IS NOT NULL AND c.first_response_at IS NULL AND ${now} - c.first_inbound_at > ${target} THEN 1 ELSE 0 END) AS late
    FROM analytics_conversations c WHERE ${openedIn} AND ${where}
    GROUP BY coalesce(c.team_id, 0), c.agent_id, c.first_response_agent_id`.execute(db);
  const resolved = await sql<ResolvedRow>`SELECT coalesce(c.team_id, 0) AS team, c.agent_id AS holder, c.first_response_agent_id AS responder,
      c.resolved_by_agent_id AS resolver, sum(CASE WHEN ${resolvedIn} THEN 1 ELSE 0 END) AS resolved
    FROM analytics_conversations c WHERE ((${openedIn} AND c.resolved_at IS NOT NULL) OR ${resolvedOnlyIn}) AND ${where}
    GROUP BY coalesce(c.team_id, 0), c.agent_id, c.first_response_agent_id, c.resolved_by_agent_id`.execute(db);
  const total = noFactFigures();
  const teams = new Map<number, FactFigures>();
  const agents = new Map<number, FactFigures>();
  const team = (key: Cell) => {
    const k = num(key);
    let figures = teams.get(k);
    if (figures === undefined) teams.set(k, (figures = noFactFigures()));
    return figures;
  };
  const agent = (id: number | null) => {
    if (id === null) return undefined;
    let figures = agents.get(id);
    if (figures === undefined) agents.set(id, (figures = noFactFigures()));
    return figures;
  };
  // An agent's scope: the totals' and teams' rows count that agent's roles only.
  const mine = (id: number | null) => a === undefined || id === a;
  const shown = (id: number | null) => (a === undefined || id === a ? agent(id) : undefined);
  for (const row of opened.rows) {
    const byTeam = team(row.team);
    shown(row.holder);
    shown(row.responder);
    const holderRows = [...(mine(row.holder) ? [total, byTeam] : []), agent(mine(row.holder) ? row.holder : null)];
    const responderRows = [...(mine(row.responder) ? [total, byTeam] : []), agent(mine(row.responder) ? row.responder : null)];
    for (const figures of holderRows) {
      if (figures === undefined) continue;
      figures.conversationsOpened += num(row.opened);
      figures.answeredWithinTarget.counted += num(row.late);
    }
    for (const figures of responderRows) {
      if (figures === undefined) continue;
      figures.firstResponse.count += num(row.answered);
      figures.answeredWithinTarget.within += num(row.within);
      figures.answeredWithinTarget.counted += num(row.answered);
    }
  }
  for (const row of resolved.rows) {
    const byTeam = team(row.team);
    for (const id of [row.holder, row.responder]) shown(id);
    const resolverRows = [...(mine(row.resolver) ? [total, byTeam] : []), agent(mine(row.resolver) ? row.resolver : null)];
    for (const figures of resolverRows) {
      if (figures === undefined) continue;
      figures.conversationsResolved += num(row.resolved);
      figures.resolution.count += num(row.resolved);
    }
  }
  // The times' ranks in each group (all, per team, per agent): migration 0035's indexes give the facts in each group's order of
  // time, so ROW_NUMBER counts in index order with no sort (the period's bounds written +c.opened_at so that SQLite takes those
  // indexes rather than the period's range and a sort); only the rows at the groups' median and p90 ranks come back.
  const FIRST_RESPONSE = 'c.first_response_at - c.first_inbound_at';
  const RESOLUTION = 'c.resolved_at - c.opened_at';
  const unordered = { openedIn: sql`+c.opened_at >= ${s} AND +c.opened_at < ${e}`, resolvedIn: sql`+c.resolved_at >= ${s} AND +c.resolved_at < ${e}` };
  const answeredIn = sql`${unordered.openedIn} AND ${answered}`;
  const rank = async (
    partition: string | null,
    groups: ReadonlyArray<readonly [number, FactFigures]>,
    metric: 'firstResponse' | 'resolution',
    agentColumn: string,
  ) => {
    if (!groups.some(([, figures]) => figures[metric].count > 0)) return;
    const value = sql.raw(metric === 'firstResponse' ? FIRST_RESPONSE : RESOLUTION);
    const key = sql.raw(partition ?? '0');
    // One window (ROW_NUMBER and the group's COUNT over the same order), so the one index order serves both.
    const over = sql`${partition === null ? sql`` : sql`PARTITION BY ${key}`} ORDER BY ${value}`;
    const mineOnly = a === undefined ? sql`` : sql`AND ${sql.raw(agentColumn)} = ${a}`;
    const range = metric === 'firstResponse' ? answeredIn : unordered.resolvedIn;
    // Nearest rank: the p-th of n sorted times is the ceil(p·n)-th, (n + 1) / 2 for the median and (9n + 9) / 10 for p90 in integers.
    const found = await sql<RankRow>`SELECT k, v, rn, n FROM (
        SELECT ${key} AS k, ${value} AS v, ROW_NUMBER() OVER (${over}) AS rn,
          COUNT(*) OVER (${over} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
        FROM analytics_conversations c WHERE ${range} AND ${where} ${mineOnly}
      ) ranked WHERE rn = (n + 1) / 2 OR rn = (9 * n + 9) / 10`.execute(db);
    const figuresOf = new Map(groups);
    for (const row of found.rows) {
      const figures = row.k === null ? undefined : figuresOf.get(num(row.k));
      if (figures === undefined) continue;
      const durations = figures[metric];
      const [n, rn, seconds] = [num(row.n), num(row.rn), num(row.v) / 1000];
      if (rn === Math.floor((n + 1) / 2)) durations.median = seconds;
      if (rn === Math.floor((9 * n + 9) / 10)) durations.p90 = seconds;
    }
  };
  for (const [metric, agentColumn] of [
    ['firstResponse', 'c.first_response_agent_id'],
    ['resolution', 'c.resolved_by_agent_id'],
  ] as const) {
    await rank(null, [[0, total]], metric, agentColumn);
    await rank('coalesce(c.team_id, 0)', [...teams], metric, agentColumn);
    await rank(agentColumn, [...agents], metric, agentColumn);
  }
  for (const figures of [total, ...teams.values(), ...agents.values()]) {
    const w = figures.answeredWithinTarget;
    w.share = w.counted === 0 ? null : w.within / w.counted;
  }
  return { total, teams, agents };
}
