/**
 * The message counts a report reads (migration 0035): per hour for the busiest hours, per team,
 * and per agent (whole UTC days from the daily counts, the period's ends from the hourly ones).
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { sql } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';
import { hourRange } from './analytics-period.js';
import type { Period } from './analytics-period.js';
import type { AnalyticsScope } from './analytics-scope.js';

const DAY_MS = 86_400_000;

export interface KeyedCounts {
  readonly key: number;
  readonly messages_in: number;
  readonly messages_out: number;
}

/** Limits a query on a table keyed by team (and number) to the scope's teams and number. */
export function scoped<QB extends SelectQueryBuilder<InboxDatabase, keyof InboxDatabase, object>>(
  qb: QB,
  scope: AnalyticsScope,
  team: string,
  number: string,
): QB {
  let q = qb;
  if (scope.teamIds !== null) q = q.where(sql.ref(team), 'in', scope.teamIds) as QB;
  if (scope.teamId !== undefined) q = q.where(sql.ref(team), '=', scope.teamId) as QB;
  if (scope.phoneNumberId !== undefined) q = q.where(sql.ref(number), '=', scope.phoneNumberId) as QB;
  return q;
}

export class AnalyticsCounts {
  constructor(private readonly db: Kysely<InboxDatabase>) {}

  /** The busiest hours: per hour, from the team-hours (or an agent's hours). */
  async hours(period: Period, scope: AnalyticsScope) {
    const hours = hourRange(period);
    if (scope.agentId !== undefined) {
      return await scoped(this.agentHours(hours, scope.agentId), scope, 'team_key', 'phone_number_id')
        .select((eb) => ['hour_start', eb.fn.sum<number>('messages_in').as('messages_in'), eb.fn.sum<number>('messages_out').as('messages_out')])
        .groupBy('hour_start')
        .execute();
    }
    return await scoped(
      this.db.selectFrom('analytics_team_hourly').where('hour_start', '>=', hours.startsAt).where('hour_start', '<', hours.endsAt),
      scope,
      'team_key',
      'phone_number_id',
    )
      .select((eb) => ['hour_start', eb.fn.sum<number>('messages_in').as('messages_in'), eb.fn.sum<number>('messages_out').as('messages_out')])
      .groupBy('hour_start')
      .execute();
  }

  private agentHours(hours: Period, agentId: number) {
    return this.db
      .selectFrom('analytics_hourly')
      .where('agent_key', '=', agentId)
      .where('hour_start', '>=', hours.startsAt)
      .where('hour_start', '<', hours.endsAt);
  }

  /** Messages per team (under an agent's scope, that agent's). */
  async countsByTeam(period: Period, scope: AnalyticsScope): Promise<KeyedCounts[]> {
    const hours = hourRange(period);
    if (scope.agentId !== undefined) {
      return await scoped(this.agentHours(hours, scope.agentId), scope, 'team_key', 'phone_number_id')
        .select((eb) => [
          eb.ref('team_key').as('key'),
          eb.fn.sum<number>('messages_in').as('messages_in'),
          eb.fn.sum<number>('messages_out').as('messages_out'),
        ])
        .groupBy('team_key')
        .execute();
    }
    return await scoped(
      this.db.selectFrom('analytics_team_hourly').where('hour_start', '>=', hours.startsAt).where('hour_start', '<', hours.endsAt),
      scope,
      'team_key',
      'phone_number_id',
    )
      .select((eb) => [eb.ref('team_key').as('key'), eb.fn.sum<number>('messages_in').as('messages_in'), eb.fn.sum<number>('messages_out').as('messages_out')])
      .groupBy('team_key')
      .execute();
  }

  /**
   * Messages per agent: the whole UTC days inside the period from the daily counts, the hours
   * at either end from the hourly ones (an agent's own scope: their hours alone).
   */
  async countsByAgent(period: Period, scope: AnalyticsScope): Promise<KeyedCounts[]> {
    const hours = hourRange(period);
    if (scope.agentId !== undefined) {
      return await scoped(this.agentHours(hours, scope.agentId), scope, 'team_key', 'phone_number_id')
        .select((eb) => [
          eb.ref('agent_key').as('key'),
          eb.fn.sum<number>('messages_in').as('messages_in'),
          eb.fn.sum<number>('messages_out').as('messages_out'),
        ])
        .groupBy('agent_key')
        .execute();
    }
    const firstDay = Math.ceil(hours.startsAt / DAY_MS) * DAY_MS;
    const lastDay = Math.floor(hours.endsAt / DAY_MS) * DAY_MS;
    const ranges: Array<[number, number]> =
      firstDay < lastDay
        ? [
            [hours.startsAt, firstDay],
            [lastDay, hours.endsAt],
          ]
        : [[hours.startsAt, hours.endsAt]];
    const rows: KeyedCounts[] = [];
    for (const [from, to] of ranges) {
      if (from >= to) continue;
      rows.push(
        ...(await scoped(
          this.db.selectFrom('analytics_hourly').where('hour_start', '>=', from).where('hour_start', '<', to),
          scope,
          'team_key',
          'phone_number_id',
        )
          .select((eb) => [
            eb.ref('agent_key').as('key'),
            eb.fn.sum<number>('messages_in').as('messages_in'),
            eb.fn.sum<number>('messages_out').as('messages_out'),
          ])
          .groupBy('agent_key')
          .execute()),
      );
    }
    if (firstDay < lastDay) {
      rows.push(
        ...(await scoped(
          this.db.selectFrom('analytics_daily').where('day_start', '>=', firstDay).where('day_start', '<', lastDay),
          scope,
          'team_key',
          'phone_number_id',
        )
          .select((eb) => [
            eb.ref('agent_key').as('key'),
            eb.fn.sum<number>('messages_in').as('messages_in'),
            eb.fn.sum<number>('messages_out').as('messages_out'),
          ])
          .groupBy('agent_key')
          .execute()),
      );
    }
    return rows;
  }
}
