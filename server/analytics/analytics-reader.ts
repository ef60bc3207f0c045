/**
 * Reads a period's figures from what the store keeps for them (migration 0035), after folding what
 * is pending: the figures of the conversations opened or resolved in the period (worked out in SQL),
 * the hourly message counts, the template sends, and the conversations that wait now, each a few
 * rows per team and agent. Never the messages themselves (docs/analytics.md).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AnalyticsQuery } from '../../common/analytics/analytics-query.js';
import { DEFAULT_TARGET_SECONDS } from '../../common/analytics/analytics-query.js';
import type { AgentFigures, AnalyticsReport, Figures, HourCell, TeamFigures, TemplateCategory } from '../../common/analytics/analytics-report.js';
import type { InboxDatabase } from '../store/schema.js';
import type { MessageCounts, WaitingGroup } from './analytics-figures.js';
import { waitingOf } from './analytics-figures.js';
import type { FactFigures } from './analytics-fact-figures.js';
import { noFactFigures, periodFactFigures } from './analytics-fact-figures.js';
import { hourRange, localHour, periodOf } from './analytics-period.js';
import type { Period } from './analytics-period.js';
import type { AnalyticsScope } from './analytics-scope.js';
import { AnalyticsCounts, scoped } from './analytics-counts.js';
import { AnalyticsFold } from './analytics-fold.js';

/** A template's category as the server's template list has it now; undefined: not in it. */
export type TemplateCategoryOf = (name: string, languageCode: string) => TemplateCategory | undefined | Promise<TemplateCategory | undefined>;

type Db = Kysely<InboxDatabase>;

const NO_TEAM_NAME = 'No team';

export class AnalyticsReader {
  private readonly counts: AnalyticsCounts;
  private readonly fold: Pick<AnalyticsFold, 'upToDate'>;

  constructor(
    private readonly deps: {
      readonly db: Db;
      readonly now: () => number;
      readonly templateCategory?: TemplateCategoryOf;
      /** What brings the counts up to date before each report (default: a fold of its own). */
      readonly fold?: Pick<AnalyticsFold, 'upToDate'>;
    },
  ) {
    this.counts = new AnalyticsCounts(deps.db);
    this.fold = deps.fold ?? new AnalyticsFold({ db: deps.db, now: deps.now });
  }

  async report(query: AnalyticsQuery, scope: AnalyticsScope): Promise<AnalyticsReport> {
    // What was written up to now, folded first (bounded: docs/analytics.md), so the figures are current.
    await this.fold.upToDate();
    const now = this.deps.now();
    const period = periodOf(query.from, query.to, query.timeZone);
    const empty = scope.teamIds !== null && scope.teamIds.length === 0;
    const [facts, waiting, hours, byTeam, byAgent, templates] = empty
      ? [{ total: noFactFigures(), teams: new Map<number, FactFigures>(), agents: new Map<number, FactFigures>() }, [], [], [], [], []]
      : await Promise.all([
          periodFactFigures(this.deps.db, period, scope, now),
          this.waiting(scope),
          this.counts.hours(period, scope),
          this.counts.countsByTeam(period, scope),
          this.counts.countsByAgent(period, scope),
          this.templates(period, scope),
        ]);
    const targets = empty ? new Map<number, number>() : await this.targets();
    const targetOf = (teamId: number | null) => (teamId === null ? undefined : targets.get(teamId)) ?? DEFAULT_TARGET_SECONDS;
    const agentFilter = scope.agentId;

    const total: MessageCounts = { messagesIn: 0, messagesOut: 0 };
    const cells: HourCell[] = [];
    for (let weekday = 0; weekday < 7; weekday++) for (let hour = 0; hour < 24; hour++) cells.push({ weekday, hour, messagesIn: 0, messagesOut: 0 });
    for (const row of hours) {
      const local = localHour(row.hour_start, query.timeZone);
      const cell = cells[local.weekday * 24 + local.hour];
      if (cell === undefined) continue;
      cell.messagesIn += Number(row.messages_in);
      cell.messagesOut += Number(row.messages_out);
      total.messagesIn += Number(row.messages_in);
      total.messagesOut += Number(row.messages_out);
    }

    const teamCounts = new Map<number, MessageCounts>();
    const agentCounts = new Map<number, MessageCounts>();
    const add = (map: Map<number, MessageCounts>, key: number, messagesIn: number, messagesOut: number) => {
      const counts = map.get(key) ?? { messagesIn: 0, messagesOut: 0 };
      counts.messagesIn += messagesIn;
      counts.messagesOut += messagesOut;
      map.set(key, counts);
    };
    for (const row of byTeam) add(teamCounts, row.key, Number(row.messages_in), Number(row.messages_out));
    for (const row of byAgent) if (row.key !== 0) add(agentCounts, row.key, Number(row.messages_in), Number(row.messages_out));

    // Waiting: per team (every holder, for the keys) and, under an agent's scope, theirs only for the figures.
    const mineWaiting = waiting.filter((group) => agentFilter === undefined || group.agentId === agentFilter);
    const teamWaiting = new Map<number, WaitingGroup[]>();
    const agentWaiting = new Map<number, WaitingGroup[]>();
    for (const group of mineWaiting) {
      teamWaiting.set(group.teamKey, [...(teamWaiting.get(group.teamKey) ?? []), group]);
      if (group.agentId !== null) agentWaiting.set(group.agentId, [...(agentWaiting.get(group.agentId) ?? []), group]);
    }

    // Teams: those the viewer may see that had anything in the period or wait now, or the one asked for.
    const teamKeys = new Set<number>([...teamCounts.keys(), ...facts.teams.keys(), ...waiting.map((group) => group.teamKey)]);
    if (scope.teamId !== undefined) teamKeys.add(scope.teamId);
    const agentKeys = new Set<number>([...agentCounts.keys(), ...facts.agents.keys()]);
    for (const group of waiting) if (group.agentId !== null) agentKeys.add(group.agentId);
    if (agentFilter !== undefined) {
      agentKeys.clear();
      agentKeys.add(agentFilter);
    }
    const [teamNames, agentNames] = await Promise.all([this.teamNames([...teamKeys]), this.agentNames([...agentKeys])]);

    const figures = (fact: FactFigures | undefined, counts: MessageCounts | undefined, groups: readonly WaitingGroup[] | undefined): Figures => ({
      ...(fact ?? noFactFigures()),
      messagesIn: counts?.messagesIn ?? 0,
      messagesOut: counts?.messagesOut ?? 0,
      waiting: waitingOf(groups ?? [], now),
    });
    const teams: TeamFigures[] = [...teamKeys]
      .sort((a, b) => a - b)
      .map((key) => {
        const teamId = key === 0 ? null : key;
        // Under an agent's scope the hourly counts were read for that agent only: a team's row is their figures in it.
        return {
          teamId,
          name: teamId === null ? NO_TEAM_NAME : (teamNames.get(teamId) ?? `Team ${teamId}`),
          firstResponseTargetSeconds: targetOf(teamId),
          ...figures(facts.teams.get(key), teamCounts.get(key), teamWaiting.get(key)),
        };
      });
    const agents: AgentFigures[] = [...agentKeys]
      .sort((a, b) => a - b)
      .map((agentId) => ({
        agentId,
        displayName: agentNames.get(agentId) ?? `Agent ${agentId}`,
        ...figures(facts.agents.get(agentId), agentCounts.get(agentId), agentWaiting.get(agentId)),
      }));

    return {
      period: { from: query.from, to: query.to, timeZone: query.timeZone, startsAt: period.startsAt, endsAt: period.endsAt },
      scope: { kind: query.scope, id: query.id ?? null },
      generatedAt: now,
      totals: figures(facts.total, total, mineWaiting),
      busiestHours: cells,
      templateSends: await this.categorised(templates),
      teams,
      agents,
    };
  }

  /** The conversations that wait now, counted per team and holder, with the oldest wait of each. */
  private async waiting(scope: AnalyticsScope): Promise<WaitingGroup[]> {
    const rows = await scoped(
      this.deps.db.selectFrom('analytics_conversations').where('awaiting_since', 'is not', null).where('state', '=', sql.lit('open')),
      scope,
      'team_id',
      'phone_number_id',
    )
      .select((eb) => [
        eb.fn.coalesce('team_id', sql.lit(0)).as('team_key'),
        'agent_id',
        eb.fn.countAll<number>().as('n'),
        eb.fn.min('awaiting_since').as('oldest'),
      ])
      .groupBy([sql`coalesce(team_id, 0)`, 'agent_id'])
      .execute();
    return rows.map((row) => ({ teamKey: Number(row.team_key), agentId: row.agent_id, count: Number(row.n), oldestSince: Number(row.oldest) }));
  }

  private async templates(period: Period, scope: AnalyticsScope) {
    const hours = hourRange(period);
    let q = this.deps.db.selectFrom('analytics_template_hourly').where('hour_start', '>=', hours.startsAt).where('hour_start', '<', hours.endsAt);
    if (scope.agentId !== undefined) q = q.where('agent_key', '=', scope.agentId);
    return await scoped(q, scope, 'team_key', 'phone_number_id')
      .select((eb) => ['template_name', 'language_code', eb.fn.sum<number>('sends').as('sends')])
      .groupBy(['template_name', 'language_code'])
      .execute();
  }

  private async categorised(rows: ReadonlyArray<{ template_name: string; language_code: string; sends: number }>) {
    const sends = new Map<TemplateCategory, number>();
    for (const row of rows) {
      const category = (await this.deps.templateCategory?.(row.template_name, row.language_code)) ?? 'unknown';
      sends.set(category, (sends.get(category) ?? 0) + Number(row.sends));
    }
    const order: readonly TemplateCategory[] = ['marketing', 'utility', 'authentication', 'unknown'];
    return order.filter((category) => sends.has(category)).map((category) => ({ category, sends: sends.get(category) ?? 0 }));
  }

  private async targets(): Promise<Map<number, number>> {
    const rows = await this.deps.db.selectFrom('analytics_team_targets').select(['team_id', 'first_response_target_seconds']).execute();
    return new Map(rows.map((row) => [row.team_id, row.first_response_target_seconds]));
  }

  private async teamNames(ids: number[]): Promise<Map<number, string>> {
    const known = ids.filter((id) => id !== 0);
    if (known.length === 0) return new Map();
    const rows = await this.deps.db.selectFrom('teams').select(['id', 'name']).where('id', 'in', known).execute();
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  private async agentNames(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.deps.db.selectFrom('agents').select(['id', 'display_name']).where('id', 'in', ids).execute();
    return new Map(rows.map((row) => [row.id, row.display_name]));
  }
}
