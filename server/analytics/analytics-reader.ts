/**
 * Reads a period's figures from what the store keeps for them (migration 0034): the facts of the
 * conversations opened or resolved in the period, the hourly message counts, the template sends,
 * and the conversations that wait now. Never the messages themselves (docs/analytics.md).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { AnalyticsQuery } from '../../common/analytics/analytics-query.js';
import { DEFAULT_TARGET_SECONDS } from '../../common/analytics/analytics-query.js';
import type { AgentFigures, AnalyticsReport, HourCell, TeamFigures, TemplateCategory } from '../../common/analytics/analytics-report.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Fact, FigureContext, MessageCounts, WaitingConversation } from './analytics-figures.js';
import { figuresOf } from './analytics-figures.js';
import { hourRange, localHour, periodOf } from './analytics-period.js';
import type { Period } from './analytics-period.js';
import type { AnalyticsScope } from './analytics-scope.js';
import { AnalyticsCounts, scoped } from './analytics-counts.js';
import { AnalyticsFold } from './analytics-fold.js';

/** A template's category as the server's template list has it now; undefined: not in it. */
export type TemplateCategoryOf = (name: string, languageCode: string) => TemplateCategory | undefined | Promise<TemplateCategory | undefined>;

type Db = Kysely<InboxDatabase>;

const NO_TEAM_NAME = 'No team';

/** The items under each of their keys (an item once per key, however many of its keys name it; null keys left out). */
function groupBy<T>(items: readonly T[], keysOf: (item: T) => ReadonlyArray<number | null>): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const keys = new Set(keysOf(item));
    for (const key of keys) {
      if (key === null) continue;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [item]);
      else group.push(item);
    }
  }
  return groups;
}

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
    const [facts, waiting, hours, byTeam, byAgent, templates, targets] = empty
      ? [[], [], [], [], [], [], new Map<number, number>()]
      : await Promise.all([
          this.facts(period, scope),
          this.waiting(scope),
          this.counts.hours(period, scope),
          this.counts.countsByTeam(period, scope),
          this.counts.countsByAgent(period, scope),
          this.templates(period, scope),
          this.targets(),
        ]);
    const context: FigureContext = { period, now, targetOf: (teamId) => (teamId === null ? undefined : targets.get(teamId)) ?? DEFAULT_TARGET_SECONDS };
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

    // Teams: those the viewer may see that had anything in the period or wait now, or the one asked for.
    const teamKeys = new Set<number>(teamCounts.keys());
    for (const fact of facts) teamKeys.add(fact.teamId ?? 0);
    for (const conversation of waiting) teamKeys.add(conversation.teamId ?? 0);
    if (scope.teamId !== undefined) teamKeys.add(scope.teamId);
    const agentKeys = new Set<number>(agentCounts.keys());
    for (const fact of facts) for (const id of [fact.agentId, fact.firstResponseAgentId, fact.resolvedByAgentId]) if (id !== null) agentKeys.add(id);
    for (const conversation of waiting) if (conversation.agentId !== null) agentKeys.add(conversation.agentId);
    if (agentFilter !== undefined) {
      agentKeys.clear();
      agentKeys.add(agentFilter);
    }
    const [teamNames, agentNames] = await Promise.all([this.teamNames([...teamKeys]), this.agentNames([...agentKeys])]);

    // Each team's and each agent's facts and waiting conversations, gathered in one pass (not one scan of all of them per row).
    const teamFacts = groupBy(facts, (fact) => [fact.teamId ?? 0]);
    const teamWaiting = groupBy(waiting, (conversation) => [conversation.teamId ?? 0]);
    const agentFacts = groupBy(facts, (fact) => [fact.agentId, fact.firstResponseAgentId, fact.resolvedByAgentId]);
    const agentWaiting = groupBy(waiting, (conversation) => [conversation.agentId]);
    const teams: TeamFigures[] = [...teamKeys]
      .sort((a, b) => a - b)
      .map((key) => {
        const teamId = key === 0 ? null : key;
        // Under an agent's scope the hourly counts were read for that agent only: a team's row is their figures in it.
        const counts = teamCounts.get(key) ?? { messagesIn: 0, messagesOut: 0 };
        return {
          teamId,
          name: teamId === null ? NO_TEAM_NAME : (teamNames.get(teamId) ?? `Team ${teamId}`),
          firstResponseTargetSeconds: context.targetOf(teamId),
          ...figuresOf(context, teamFacts.get(key) ?? [], counts, teamWaiting.get(key) ?? [], agentFilter),
        };
      });
    const agents: AgentFigures[] = [...agentKeys]
      .sort((a, b) => a - b)
      .map((agentId) => ({
        agentId,
        displayName: agentNames.get(agentId) ?? `Agent ${agentId}`,
        ...figuresOf(
          context,
          agentFacts.get(agentId) ?? [],
          agentCounts.get(agentId) ?? { messagesIn: 0, messagesOut: 0 },
          agentWaiting.get(agentId) ?? [],
          agentId,
        ),
      }));

    return {
      period: { from: query.from, to: query.to, timeZone: query.timeZone, startsAt: period.startsAt, endsAt: period.endsAt },
      scope: { kind: query.scope, id: query.id ?? null },
      generatedAt: now,
      totals: figuresOf(context, facts, total, waiting, agentFilter),
      busiestHours: cells,
      templateSends: await this.categorised(templates),
      teams,
      agents,
    };
  }

  /**
   * The facts of the conversations opened in the period, and of those opened before it and
   * resolved in it: two range reads on their own indexes (an OR of the two would merge them row by row).
   */
  private async facts(period: Period, scope: AnalyticsScope): Promise<Fact[]> {
    const columns = [
      'team_id',
      'agent_id',
      'opened_at',
      'first_inbound_at',
      'first_response_at',
      'first_response_agent_id',
      'resolved_at',
      'resolved_by_agent_id',
    ] as const;
    const agentId = scope.agentId;
    // An agent's own scope: only the conversations they hold, answered first or resolved.
    const table = () => {
      const q = this.deps.db.selectFrom('analytics_conversations').select(columns);
      return agentId === undefined
        ? q
        : q.where((eb) => eb.or([eb('agent_id', '=', agentId), eb('first_response_agent_id', '=', agentId), eb('resolved_by_agent_id', '=', agentId)]));
    };
    const opened = scoped(table().where('opened_at', '>=', period.startsAt).where('opened_at', '<', period.endsAt), scope, 'team_id', 'phone_number_id');
    const resolved = scoped(
      table().where('resolved_at', '>=', period.startsAt).where('resolved_at', '<', period.endsAt).where('opened_at', '<', period.startsAt),
      scope,
      'team_id',
      'phone_number_id',
    );
    const rows = [...(await opened.execute()), ...(await resolved.execute())];
    return rows.map((row) => ({
      teamId: row.team_id,
      agentId: row.agent_id,
      openedAt: Number(row.opened_at),
      firstInboundAt: row.first_inbound_at === null ? null : Number(row.first_inbound_at),
      firstResponseAt: row.first_response_at === null ? null : Number(row.first_response_at),
      firstResponseAgentId: row.first_response_agent_id,
      resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
      resolvedByAgentId: row.resolved_by_agent_id,
    }));
  }

  private async waiting(scope: AnalyticsScope): Promise<WaitingConversation[]> {
    const rows = await scoped(
      this.deps.db
        .selectFrom('analytics_conversations')
        .select(['team_id', 'agent_id', 'awaiting_since'])
        .where('awaiting_since', 'is not', null)
        .where('state', '=', sql.lit('open')),
      scope,
      'team_id',
      'phone_number_id',
    ).execute();
    return rows.map((row) => ({ teamId: row.team_id, agentId: row.agent_id, awaitingSince: Number(row.awaiting_since) }));
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
