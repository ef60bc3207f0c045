/**
 * Analytics against a week worked out by hand (GET /v1/analytics and its CSV, on a listening
 * server with its real store, SQLite or PostgreSQL). Seven conversations are written straight into
 * the store (test/helpers/analytics-data.ts), so the triggers of migration 0035 keep their facts and
 * hourly counts as they do for real traffic; every expected figure below is counted from the table
 * in the comment, not read back from the store.
 *
 * Times are UTC, February 2026 (no change of clocks: Rome is UTC+1, New York UTC−5). Team A's
 * target is set to 120 s through the route; team B keeps the default, 300 s.
 *
 *   conv team agent  number  messages (in: customer, out: agent)                               resolved
 *   C1   A    anna   N1      in Tue 3 09:00:00, out 09:01:30, in 09:05:00, out 09:06:00          Tue 3 09:30:00 (anna)
 *   C2   A    bruno  N1      in Wed 4 23:50:00, out Thu 5 00:20:00, in 00:25:00 (spans midnight) Thu 5 01:00:00 (bruno)
 *   C3   A    anna   N2      in Fri 6 14:00:00, out 14:03:00 (template order_update, utility)    Tue 10 10:00:00 (anna): the next period
 *   C4   B    carla  N1      in Sat 7 10:00:00, out 10:04:00, out 10:05:00 (template spring_sale, marketing)  Sat 7 10:10:00 (carla)
 *   C5   B    nobody N2      in Sun 8 20:00:00 (never answered: waits now)                     open
 *   C6   A    bruno  N1      in Sun 8 23:30:00, out 23:32:00                                    open
 *   C7   A    anna   N1      in Fri Jan 30 10:00:00, out 10:01:00                              Mon 2 08:00:00 (anna)
 *
 * First answers (s): C1 90, C2 1800, C3 180, C4 240, C6 120, C7 60. Resolutions (s, from the first
 * message): C1 1800, C2 4200, C4 600, C7 252000 (70 h), C3 331200 (92 h).
 *
 * The week 2–8 February in Rome is [Feb 1 23:00Z, Feb 8 23:00Z): C6 (Mon 9 00:30 in Rome) falls in
 * the next week, which also holds C3's resolution. In New York it is [Feb 2 05:00Z, Feb 9 05:00Z):
 * C6 falls in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsReport, Figures } from '../../common/analytics/analytics-report.js';
import type { TeamView } from '../../common/api/teams.js';
import { FIGURE_COLUMNS } from '../../server/analytics/analytics-csv.js';
import { insertConversations } from '../helpers/analytics-data.js';
import type { PlannedConversation } from '../helpers/analytics-data.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const CATEGORIES: Readonly<Record<string, 'utility' | 'marketing'>> = { 'order_update:it': 'utility', 'spring_sale:it': 'marketing' };

let t: TestServer;
let device: TestDevice;
let irene: EnrolledAgent;
let anna: EnrolledAgent;
let bruno: EnrolledAgent;
let carla: EnrolledAgent;
let sara: EnrolledAgent;
let vito: EnrolledAgent;
let teamA: number;
let teamB: number;
let n1: string;
let n2: string;
let c5Since: number;

const at = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  t = await startTestServer({ templateCategory: (name, language) => CATEGORIES[`${name}:${language}`] });
  device = await approvedDevice(t, 'analytics-desk');
  irene = await enrolledAgent(t, device, 'irene', 'admin');
  teamA = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  teamB = (await device.call<TeamView>('POST', '/v1/admin/teams', { name: 'Vendite' }, irene.session.accessToken)).body.id;
  anna = await enrolledAgent(t, device, 'anna', 'agent', [teamA]);
  bruno = await enrolledAgent(t, device, 'bruno', 'agent', [teamA]);
  carla = await enrolledAgent(t, device, 'carla', 'agent', [teamB]);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', [teamA]);
  vito = await enrolledAgent(t, device, 'vito', 'supervisor', [teamB]);
  [n1, n2] = t.sandbox.businesses.map((business) => business.phoneNumberId) as [string, string];
  c5Since = at('2026-02-08T20:00:00Z');
  const conversation = (
    teamId: number,
    agent: EnrolledAgent | null,
    phoneNumberId: string,
    messages: Array<[string, 'in' | 'out', string?]>,
    resolvedAt?: string,
  ): PlannedConversation => ({
    phoneNumberId,
    teamId,
    agentId: agent?.agentId ?? null,
    openedAt: at(messages[0]?.[0] ?? ''),
    messages: messages.map(([when, direction, template]) => ({
      at: at(when),
      direction,
      ...(direction === 'out' ? { agentId: agent?.agentId ?? null } : {}),
      ...(template === undefined ? {} : { template: { name: template, languageCode: 'it' } }),
    })),
    ...(resolvedAt === undefined ? {} : { resolved: { at: at(resolvedAt), agentId: agent?.agentId ?? null } }),
  });
  await insertConversations(t.server.database.db, [
    conversation(
      teamA,
      anna,
      n1,
      [
        ['2026-02-03T09:00:00Z', 'in'],
        ['2026-02-03T09:01:30Z', 'out'],
        ['2026-02-03T09:05:00Z', 'in'],
        ['2026-02-03T09:06:00Z', 'out'],
      ],
      '2026-02-03T09:30:00Z',
    ),
    conversation(
      teamA,
      bruno,
      n1,
      [
        ['2026-02-04T23:50:00Z', 'in'],
        ['2026-02-05T00:20:00Z', 'out'],
        ['2026-02-05T00:25:00Z', 'in'],
      ],
      '2026-02-05T01:00:00Z',
    ),
    conversation(
      teamA,
      anna,
      n2,
      [
        ['2026-02-06T14:00:00Z', 'in'],
        ['2026-02-06T14:03:00Z', 'out', 'order_update'],
      ],
      '2026-02-10T10:00:00Z',
    ),
    conversation(
      teamB,
      carla,
      n1,
      [
        ['2026-02-07T10:00:00Z', 'in'],
        ['2026-02-07T10:04:00Z', 'out'],
        ['2026-02-07T10:05:00Z', 'out', 'spring_sale'],
      ],
      '2026-02-07T10:10:00Z',
    ),
    conversation(teamB, null, n2, [['2026-02-08T20:00:00Z', 'in']]),
    conversation(teamA, bruno, n1, [
      ['2026-02-08T23:30:00Z', 'in'],
      ['2026-02-08T23:32:00Z', 'out'],
    ]),
    conversation(
      teamA,
      anna,
      n1,
      [
        ['2026-01-30T10:00:00Z', 'in'],
        ['2026-01-30T10:01:00Z', 'out'],
      ],
      '2026-02-02T08:00:00Z',
    ),
  ]);
}, 90_000);

afterAll(async () => {
  await t?.close();
});

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const ROME_WEEK = { from: '2026-02-02', to: '2026-02-08', timeZone: 'Europe/Rome' };
const NEW_YORK_WEEK = { from: '2026-02-02', to: '2026-02-08', timeZone: 'America/New_York' };

async function report(who: EnrolledAgent, params: Record<string, string>): Promise<AnalyticsReport> {
  const answer = await device.call<AnalyticsReport>('GET', `/v1/analytics?${query(params)}`, undefined, who.session.accessToken);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** The figures without `waiting`'s age, which runs with the clock (checked against generatedAt). */
function settled(figures: Figures, generatedAt: number) {
  const { waiting, ...rest } = figures;
  if (waiting.oldestSince !== null) expect(waiting.oldestWaitSeconds).toBe((generatedAt - waiting.oldestSince) / 1000);
  return { ...rest, waiting: { count: waiting.count, oldestSince: waiting.oldestSince } };
}

const durations = (count: number, median: number | null, p90: number | null) => ({ count, median, p90 });

describe('analytics of a week worked out by hand', () => {
  it('takes team A’s target from its supervisor, and from nobody else', async () => {
    const put = (who: EnrolledAgent, teamId: number, seconds: number) =>
      device.call('PUT', `/v1/analytics/teams/${teamId}/target`, { firstResponseTargetSeconds: seconds }, who.session.accessToken);
    expect(await put(vito, teamA, 60)).toMatchObject({ status: 403, body: { error: { code: 'analytics_scope_forbidden' } } });
    expect(await put(anna, teamA, 60)).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
    expect(await put(sara, teamA, 0)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await put(sara, teamA, 120)).toMatchObject({ status: 200, body: { teamId: teamA, firstResponseTargetSeconds: 120 } });
  });

  it('counts every team for an admin, on Rome’s clock', async () => {
    const r = await report(irene, { ...ROME_WEEK, scope: 'team' });
    expect(r.period).toEqual({ ...ROME_WEEK, startsAt: at('2026-02-01T23:00:00Z'), endsAt: at('2026-02-08T23:00:00Z') });
    // Opened C1–C5; resolved C1, C2, C4, C7; first answers 90, 180, 240, 1800 (median the 2nd of 4, p90 the 4th);
    // resolutions 600, 1800, 4200, 252000; in 2+2+1+1+1, out 2+1+1+2; within target C1 (90 ≤ 120) and C4 (240 ≤ 300)
    // of C1–C5 (C5 unanswered for longer than 300 s); waiting: C5.
    expect(settled(r.totals, r.generatedAt)).toEqual({
      conversationsOpened: 5,
      conversationsResolved: 4,
      firstResponse: durations(4, 180, 1800),
      resolution: durations(4, 1800, 252000),
      messagesIn: 7,
      messagesOut: 6,
      answeredWithinTarget: { within: 2, counted: 5, share: 0.4 },
      waiting: { count: 1, oldestSince: c5Since },
    });
    expect(r.teams.map((team) => [team.teamId, team.firstResponseTargetSeconds, team.conversationsOpened, team.messagesIn, team.waiting.count])).toEqual([
      [teamA, 120, 3, 5, 0],
      [teamB, 300, 2, 2, 1],
    ]);
    // Templates: C3's order_update (utility), C4's spring_sale (marketing).
    expect(r.templateSends).toEqual([
      { category: 'marketing', sends: 1 },
      { category: 'utility', sends: 1 },
    ]);
    // Per agent, messages in (of the conversations they hold) and out (their own): Anna C1 2+2, C3 1+1; Bruno C2 2+1 (C6 is next week in Rome); Carla C4 1+2.
    expect(r.agents.map((agent) => [agent.displayName, agent.messagesIn, agent.messagesOut, agent.conversationsResolved])).toEqual([
      ['Anna', 3, 3, 2],
      ['Bruno', 2, 1, 1],
      ['Carla', 1, 2, 1],
    ]);
  });

  it('counts the same week on New York’s clock: C6 comes in, and the busiest hours move', async () => {
    const rome = await report(irene, ROME_WEEK);
    const newYork = await report(irene, NEW_YORK_WEEK);
    // C6 joins: opened 6; first answers 90, 120, 180, 240, 1800 (median the 3rd of 5); C6 answered in 120 ≤ 120.
    expect(settled(newYork.totals, newYork.generatedAt)).toEqual({
      conversationsOpened: 6,
      conversationsResolved: 4,
      firstResponse: durations(5, 180, 1800),
      resolution: durations(4, 1800, 252000),
      messagesIn: 8,
      messagesOut: 7,
      answeredWithinTarget: { within: 3, counted: 6, share: 0.5 },
      waiting: { count: 1, oldestSince: c5Since },
    });
    const cell = (r: AnalyticsReport, weekday: number, hour: number) => {
      const found = r.busiestHours.find((c) => c.weekday === weekday && c.hour === hour);
      return [found?.messagesIn, found?.messagesOut];
    };
    // C2 across midnight: its 23:50Z message is Thursday 00:50 in Rome and Wednesday 18:50 in New York;
    // 00:20Z and 00:25Z are Thursday 01:xx in Rome and Wednesday 19:xx in New York.
    expect([cell(rome, 3, 0), cell(rome, 3, 1), cell(rome, 2, 18), cell(rome, 2, 19)]).toEqual([
      [1, 0],
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
    expect([cell(newYork, 2, 18), cell(newYork, 2, 19), cell(newYork, 3, 0), cell(newYork, 3, 1)]).toEqual([
      [1, 0],
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
    // C1 on Tuesday at 09:00Z: 10:00 in Rome, 04:00 in New York.
    expect([cell(rome, 1, 10), cell(newYork, 1, 4)]).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(rome.busiestHours.reduce((sum, c) => sum + c.messagesIn, 0)).toBe(7);
  });

  it('counts a conversation resolved in the next period there, and C6 opened there in Rome', async () => {
    const r = await report(irene, { from: '2026-02-09', to: '2026-02-15', timeZone: 'Europe/Rome' });
    // C3 resolved on the 10th after 92 h; C6 opened Monday 00:30 in Rome, answered in 120 s.
    expect(settled(r.totals, r.generatedAt)).toEqual({
      conversationsOpened: 1,
      conversationsResolved: 1,
      firstResponse: durations(1, 120, 120),
      resolution: durations(1, 331200, 331200),
      messagesIn: 1,
      messagesOut: 1,
      answeredWithinTarget: { within: 1, counted: 1, share: 1 },
      waiting: { count: 1, oldestSince: c5Since },
    });
  });

  it('counts one team, one agent and one number', async () => {
    // Team A: opened C1–C3, resolved C1, C2, C7; answers 90, 180, 1800; within C1 only.
    const a = await report(sara, { ...ROME_WEEK, scope: 'team', id: String(teamA) });
    expect(settled(a.totals, a.generatedAt)).toEqual({
      conversationsOpened: 3,
      conversationsResolved: 3,
      firstResponse: durations(3, 180, 1800),
      resolution: durations(3, 4200, 252000),
      messagesIn: 5,
      messagesOut: 4,
      answeredWithinTarget: { within: 1, counted: 3, share: 1 / 3 },
      waiting: { count: 0, oldestSince: null },
    });
    // Anna: holds C1 and C3 (opened), resolved C1 and C7, answered C1 (90) and C3 (180); in 2+1, out 2+1.
    const annas = await report(sara, { ...ROME_WEEK, scope: 'agent', id: String(anna.agentId) });
    expect(settled(annas.totals, annas.generatedAt)).toEqual({
      conversationsOpened: 2,
      conversationsResolved: 2,
      firstResponse: durations(2, 90, 180),
      resolution: durations(2, 1800, 252000),
      messagesIn: 3,
      messagesOut: 3,
      answeredWithinTarget: { within: 1, counted: 2, share: 0.5 },
      waiting: { count: 0, oldestSince: null },
    });
    expect(annas.agents.map((agent) => agent.agentId)).toEqual([anna.agentId]);
    // Number N2: C3 (late, 180 > 120) and C5 (unanswered); C5 waits.
    const second = await report(irene, { ...ROME_WEEK, scope: 'number', id: n2 });
    expect(settled(second.totals, second.generatedAt)).toEqual({
      conversationsOpened: 2,
      conversationsResolved: 0,
      firstResponse: durations(1, 180, 180),
      resolution: durations(0, null, null),
      messagesIn: 2,
      messagesOut: 1,
      answeredWithinTarget: { within: 0, counted: 2, share: 0 },
      waiting: { count: 1, oldestSince: c5Since },
    });
    expect(second.templateSends).toEqual([{ category: 'utility', sends: 1 }]);
  });

  it('shows a supervisor their teams only, and refuses them another team or its agents, and agents everything', async () => {
    const own = await report(sara, ROME_WEEK);
    expect(own.teams.map((team) => team.teamId)).toEqual([teamA]);
    expect(own.agents.map((agent) => agent.displayName)).toEqual(['Anna', 'Bruno']);
    expect(own.totals.conversationsOpened).toBe(3);
    const ask = (who: EnrolledAgent, params: Record<string, string>, path = '/v1/analytics') =>
      device.call('GET', `${path}?${query({ ...ROME_WEEK, ...params })}`, undefined, who.session.accessToken);
    for (const [params, path] of [
      [{ scope: 'team', id: String(teamB) }, '/v1/analytics'],
      [{ scope: 'agent', id: String(carla.agentId) }, '/v1/analytics'],
      [{ scope: 'team', id: String(teamB) }, '/v1/analytics/export.csv'],
    ] as const) {
      expect(await ask(sara, params, path)).toMatchObject({ status: 403, body: { error: { code: 'analytics_scope_forbidden' } } });
    }
    for (const agent of [anna, carla]) {
      expect(await ask(agent, {})).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
      expect(await ask(agent, {}, '/v1/analytics/export.csv')).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
    }
    expect(await ask(irene, { to: '2026-01-01' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await ask(irene, { timeZone: 'Mars/Olympus' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await ask(irene, { unknown: '1' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('exports the same figures as CSV: a header, the total, each team, each agent; the hours; the templates', async () => {
    const csv = async (table: string) => {
      const answer = await device.request('GET', `/v1/analytics/export.csv?${query({ ...ROME_WEEK, table })}`, { token: irene.session.accessToken });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
      return answer.bytes.toString('utf8').split('\r\n');
    };
    const figures = await csv('figures');
    expect(figures[0]).toBe(FIGURE_COLUMNS.join(','));
    const rows = figures.slice(1, -1).map((line) => line.split(','));
    expect(figures.at(-1)).toBe('');
    // The total as worked out above; the oldest wait is C5's, as old as the clock makes it.
    expect(rows[0]?.slice(0, 19)).toEqual(['total', '', '', '', '', '5', '4', '4', '180', '1800', '4', '1800', '252000', '7', '6', '2', '5', '0.400', '1']);
    expect(rows.map((row) => [row[0], row[2] || row[4]])).toEqual([
      ['total', ''],
      ['team', 'General'],
      ['team', 'Vendite'],
      ['agent', 'Anna'],
      ['agent', 'Bruno'],
      ['agent', 'Carla'],
    ]);
    // Team A: 3 opened, 3 resolved, within 1 of 3.
    expect(rows[1]?.slice(5, 18)).toEqual(['3', '3', '3', '180', '1800', '3', '4200', '252000', '5', '4', '1', '3', '0.333']);
    const hours = await csv('hours');
    expect(hours[0]).toBe('weekday,hour,messages_in,messages_out');
    expect(hours).toHaveLength(1 + 168 + 1);
    expect(hours).toContain('3,0,1,0');
    expect(await csv('templates')).toEqual(['category,sends', 'marketing,1', 'utility,1', '']);
  });
});
