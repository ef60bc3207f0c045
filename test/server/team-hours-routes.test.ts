/**
 * The business-hours routes on a listening server with its real store: an admin and a supervisor
 * of the team set, read and clear a team's hours and away message, each change audited; a
 * supervisor of another team and an agent are refused `forbidden_role`; an unknown zone, an
 * interval that ends before it starts, overlapping intervals, a date that is not one, an empty
 * away message and an unknown team are each refused with their code, and nothing changes. A team
 * removed takes its hours with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamView } from '../../common/api/teams.js';
import type { BusinessHours, TeamHoursView } from '../../common/hours/business-hours.js';
import { WEEKDAYS } from '../../common/hours/business-hours.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { ApiResponse, TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let sara: EnrolledAgent;
let otto: EnrolledAgent;
let bruno: EnrolledAgent;
let sales: TeamView;
let support: TeamView;

const OFFICE: BusinessHours = {
  timeZone: 'Europe/Rome',
  week: {
    ...(Object.fromEntries(WEEKDAYS.map((day) => [day, []])) as unknown as BusinessHours['week']),
    mon: [
      { from: '09:00', to: '13:00' },
      { from: '14:00', to: '18:00' },
    ],
    fri: [{ from: '09:00', to: '13:00' }],
  },
  holidays: [{ date: '2026-12-25', name: 'Natale' }, { date: '2026-12-26' }],
};

const hoursPath = (team: { id: number }) => `/v1/teams/${team.id}/hours`;
const setHours = <T = TeamHoursView>(team: { id: number }, body: unknown, who: EnrolledAgent = admin): Promise<ApiResponse<T>> =>
  device.call<T>('POST', hoursPath(team), body, who.session.accessToken);
const getHours = (team: { id: number }, who: EnrolledAgent = admin) => device.call<TeamHoursView>('GET', hoursPath(team), undefined, who.session.accessToken);
const stored = () => t.server.database.db.selectFrom('team_hours').selectAll().orderBy('team_id').execute();
const audited = async () => (await t.server.database.db.selectFrom('audit_log').select('event').where('event', '=', 'team.hours_set').execute()).length;

beforeAll(async () => {
  t = await startTestServer();
  device = await approvedDevice(t, 'hours-desk');
  admin = await enrolledAgent(t, device, 'irene', 'admin');
  sales = await t.server.identity.teams.create({ name: 'Sales' }, IT);
  support = await t.server.identity.teams.create({ name: 'Support' }, IT);
  sara = await enrolledAgent(t, device, 'sara', 'supervisor', []);
  otto = await enrolledAgent(t, device, 'otto', 'supervisor', []);
  bruno = await enrolledAgent(t, device, 'bruno', 'agent', [sales.id]);
  await t.server.identity.teams.addSupervisor(sales.id, sara.agentId, IT);
  await t.server.identity.teams.addSupervisor(support.id, otto.agentId, IT);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('a team’s business hours over the API', () => {
  it('starts without hours: always open, nothing to send', async () => {
    expect((await getHours(sales)).body).toEqual({ teamId: sales.id, teamName: 'Sales', hours: null, awayMessage: null, updatedAt: null });
  });

  it('lets an admin and the team’s supervisor set and read them, each change audited', async () => {
    const before = await audited();
    const set = await setHours(sales, { hours: OFFICE, awayMessage: 'Siamo chiusi. / We are closed.' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ teamId: sales.id, hours: OFFICE, awayMessage: 'Siamo chiusi. / We are closed.' });
    const bySupervisor = await setHours(sales, { hours: OFFICE, awayMessage: 'Torniamo lunedì alle 9.' }, sara);
    expect(bySupervisor.status).toBe(200);
    expect((await getHours(sales, sara)).body).toMatchObject({ hours: OFFICE, awayMessage: 'Torniamo lunedì alle 9.' });
    expect(await audited()).toBe(before + 2);
    expect((await stored()).map((row) => [row.team_id, row.time_zone, row.updated_by_agent_id])).toEqual([[sales.id, 'Europe/Rome', sara.agentId]]);
  });

  it('refuses a supervisor of another team and an agent of the team, and changes nothing', async () => {
    const before = await stored();
    for (const who of [otto, bruno]) {
      const refused = await setHours(sales, { hours: null, awayMessage: null }, who);
      expect([refused.status, (refused.body as unknown as { error: { code: string } }).error.code]).toEqual([403, 'forbidden_role']);
      expect((await getHours(sales, who)).status).toBe(403);
    }
    // Otto's own team is his to set.
    expect((await setHours(support, { hours: null, awayMessage: 'Back soon' }, otto)).status).toBe(200);
    expect((await stored()).filter((row) => row.team_id === sales.id)).toEqual(before);
  });

  it('refuses bad hours with a code of their own, and changes nothing', async () => {
    const before = await stored();
    const auditBefore = await audited();
    const mon = (intervals: BusinessHours['week']['mon']) => ({ ...OFFICE, week: { ...OFFICE.week, mon: intervals } });
    const cases: Array<[unknown, number, string]> = [
      [{ hours: { ...OFFICE, timeZone: 'Europe/Atlantis' }, awayMessage: 'x' }, 422, 'hours_time_zone_unknown'],
      [{ hours: mon([{ from: '18:00', to: '09:00' }]), awayMessage: 'x' }, 422, 'hours_interval_invalid'],
      [
        {
          hours: mon([
            { from: '09:00', to: '13:00' },
            { from: '12:00', to: '18:00' },
          ]),
          awayMessage: 'x',
        },
        422,
        'hours_intervals_overlap',
      ],
      [{ hours: { ...OFFICE, holidays: [{ date: '2026-02-29' }] }, awayMessage: 'x' }, 422, 'hours_holiday_invalid'],
      [{ hours: mon([{ from: '9:00', to: '25:00' }]), awayMessage: 'x' }, 400, 'invalid_request'],
      [{ hours: OFFICE, awayMessage: '   ' }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const refused = await setHours<{ error: { code: string; message: string } }>(sales, body);
      expect([refused.status, refused.body.error.code], refused.body.error.message).toEqual([status, code]);
    }
    const unknown = await setHours<{ error: { code: string } }>({ id: 9999 }, { hours: OFFICE, awayMessage: 'x' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'team_not_found']);
    expect(await stored()).toEqual(before);
    expect(await audited()).toBe(auditBefore);
  });

  it('clears them (always open again), and a removed team takes its hours with it', async () => {
    expect((await setHours(sales, { hours: null, awayMessage: null })).body).toMatchObject({ hours: null, awayMessage: null, updatedAt: null });
    expect((await stored()).map((row) => row.team_id)).toEqual([support.id]);
    await t.server.identity.teams.remove(support.id, {}, IT);
    expect(await stored()).toEqual([]);
  });
});
