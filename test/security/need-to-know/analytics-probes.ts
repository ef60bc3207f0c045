/**
 * The analytics routes (common/api/analytics-endpoints.ts) carry figures, never a conversation,
 * a customer or a message: counts, durations and the names of teams and agents. Who reads them is
 * their own rule: supervisors the teams they supervise (and those teams' members), admins every
 * team, agents nothing. `analyticsReach` asks each route as every viewer of the scene, of team A
 * (where Anna's conversation is) and team B, and says what each got; the test compares it with
 * that rule and finds none of Anna's conversation's text in any answer.
 */
import { expect } from 'vitest';
import type { AnalyticsReport } from '../../../common/analytics/analytics-report.js';
import type { RouteClass } from './routes.js';
import type { NeedToKnowScene, Viewer } from './scene.js';

export const ANALYTICS_ROUTES: Readonly<Record<string, RouteClass>> = {
  'GET /v1/analytics': {
    carries: 'nothing',
    reason:
      'figures of teams, agents and numbers (counts, durations, team and agent names), never a conversation, customer or message; read by supervisors of their teams and by admins only (analytics-probes.ts)',
  },
  'GET /v1/analytics/export.csv': { carries: 'nothing', reason: 'the same figures as CSV, by the same rule (analytics-probes.ts)' },
  'PUT /v1/analytics/teams/:id/target': { carries: 'nothing', reason: 'sets a team’s first-answer target; answers with the target (analytics-probes.ts)' },
};

/** What a viewer got: the status of each ask, and the teams of their whole report. */
export interface AnalyticsReach {
  readonly all: number;
  readonly teams: readonly number[];
  readonly teamA: number;
  readonly teamB: number;
  readonly csvTeamB: number;
  readonly targetTeamB: number;
}

const today = () => new Date().toISOString().slice(0, 10);

export async function analyticsReach(
  scene: NeedToKnowScene,
  viewer: Viewer,
  markersIn: (scene: NeedToKnowScene, text: string) => string[],
): Promise<AnalyticsReach> {
  const period = `from=${today()}&to=${today()}&timeZone=UTC`;
  const ask = async (path: string) => {
    const answer = await scene.desk.request('GET', path, { token: viewer.token });
    const text = answer.bytes.toString('utf8');
    expect(markersIn(scene, text), `${viewer.name}: ${path}`).toEqual([]);
    if (answer.status !== 200) {
      const code = (JSON.parse(text) as { error: { code: string } }).error.code;
      expect(code, `${viewer.name}: ${path}`).toBe(
        viewer.roles.includes('supervisor') || viewer.roles.includes('admin') ? 'analytics_scope_forbidden' : 'forbidden_role',
      );
    }
    return { status: answer.status, text };
  };
  const all = await ask(`/v1/analytics?${period}`);
  const teams = all.status === 200 ? (JSON.parse(all.text) as AnalyticsReport).teams.map((team) => team.teamId ?? 0) : [];
  const target = await scene.desk.call('PUT', `/v1/analytics/teams/${scene.teamB}/target`, { firstResponseTargetSeconds: 600 }, viewer.token);
  return {
    all: all.status,
    teams,
    teamA: (await ask(`/v1/analytics?${period}&scope=team&id=${scene.teamA}`)).status,
    teamB: (await ask(`/v1/analytics?${period}&scope=team&id=${scene.teamB}`)).status,
    csvTeamB: (await ask(`/v1/analytics/export.csv?${period}&scope=team&id=${scene.teamB}`)).status,
    targetTeamB: target.status,
  };
}
