/**
 * The away message over a listening server with the sandbox standing in for Meta, on a clock the
 * test moves (the server's, the job runner's and the sandbox's). The General team's hours ended
 * three hours before the test began, every day. A customer writing then gets exactly one away
 * message, through the Cloud API (the sandbox accepts it), shown in the history as automatic;
 * writing again in the same quiet period, or the same webhook delivered twice, sends none; inside
 * the hours none; a day later one again, after an agent answered in the hours; and not twice in a
 * row when nobody answered in between. When its job runs after the 24-hour window has closed, it
 * sends nothing.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagePage } from '../../common/api/inbox.js';
import type { BusinessHours, TeamHoursView } from '../../common/hours/business-hours.js';
import { WEEKDAYS } from '../../common/hours/business-hours.js';
import { AWAY_MESSAGE, awayMessageKey, sendAwayMessage } from '../../server/hours/away-message.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import type { SandboxCustomer } from '../../server/sandbox/webhook-builder.js';
import { customer } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import type { TestDevice } from '../helpers/test-device.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const HOUR = 60 * 60 * 1000;
const AWAY = 'We are closed now: we answer from 09:00 to 17:00. / Siamo chiusi: rispondiamo dalle 9 alle 17.';
const DAY = 24 * HOUR;
const clockOf = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * Seven hours every day (UTC) that ended three hours before `base`: closed at `base`, where the
 * agents' sessions are fresh. An interval that would run past midnight is two.
 */
function hoursEndingBefore(base: number): BusinessHours {
  const minute = Math.floor((base % DAY) / 60_000);
  const from = (minute - 10 * 60 + 1440) % 1440;
  const to = (minute - 3 * 60 + 1440) % 1440;
  const intervals =
    from < to
      ? [{ from: clockOf(from), to: clockOf(to) }]
      : [{ from: '00:00', to: clockOf(to) }, ...(from < 1440 ? [{ from: clockOf(from), to: '24:00' }] : [])].filter(
          (interval) => interval.from !== interval.to,
        );
  return { timeZone: 'UTC', week: Object.fromEntries(WEEKDAYS.map((day) => [day, intervals])) as BusinessHours['week'], holidays: [] };
}

interface Scene {
  readonly t: TestServer;
  readonly desk: TestDevice;
  readonly admin: EnrolledAgent;
  readonly anna: EnrolledAgent;
  readonly teamId: number;
  /** Moves the shared clock to `at`. */
  setClock(at: number): void;
  clock(): number;
  /** The customer's message as Meta delivers it, written at the clock's time; `body` again redelivers it. */
  writes(who: SandboxCustomer, text: string): Promise<{ conversationId: number; body: string }>;
  awayMessagesTo(who: SandboxCustomer): string[];
  /** Until no away-message job waits or runs. */
  settled(): Promise<void>;
}

/** The clock starts at the real time (`base`, a whole minute), where the agents sign in (their authenticator codes are of the real time). */
async function scene(): Promise<Scene & { base: number }> {
  let offset = 0;
  const base = Math.floor(Date.now() / 60_000) * 60_000;
  const clock = () => Date.now() + offset;
  t = await startTestServer({ now: clock });
  const server = t;
  const { db } = server.server.database;
  const desk = await approvedDevice(server, 'desk');
  const admin = await enrolledAgent(server, desk, 'ada', 'admin');
  const anna = await enrolledAgent(server, desk, 'anna');
  const team = await db.selectFrom('teams').select('id').orderBy('id').executeTakeFirstOrThrow();
  const set = await desk.call<TeamHoursView>(
    'POST',
    `/v1/teams/${team.id}/hours`,
    { hours: hoursEndingBefore(base), awayMessage: AWAY },
    admin.session.accessToken,
  );
  expect(set.status).toBe(200);
  return {
    base,
    t: server,
    desk,
    admin,
    anna,
    teamId: team.id,
    clock,
    setClock: (at) => (offset = at - Date.now()),
    async writes(who, text) {
      const at = clock();
      const { wamid, body } = inboundMessageWebhook(server.sandbox.business, who, { type: 'text', text: { body: text } }, { timestampMs: at });
      server.sandbox.graph.noteInbound(who.waId, at);
      server.sandbox.graph.noteInbound(who.userId, at);
      expect((await server.postWebhook(body)).status).toBe(200);
      const row = await db.selectFrom('messages').select('conversation_id').where('wamid', '=', wamid).executeTakeFirstOrThrow();
      return { conversationId: row.conversation_id, body };
    },
    awayMessagesTo: (who) =>
      server.sandbox.graph.accepted
        .filter((message) => message.to === who.waId || message.recipient === who.userId)
        .map((message) => (message.body as { text?: { body?: string } }).text?.body ?? '')
        .filter((text) => text === AWAY),
    async settled() {
      await eventually(async () => {
        const pending = await db
          .selectFrom('jobs')
          .select('id')
          .where('kind', '=', AWAY_MESSAGE)
          .where('state', 'in', ['waiting', 'running'])
          .executeTakeFirst();
        const queued = await db
          .selectFrom('messages')
          .select('id')
          .where('origin', '=', 'automatic')
          .where('status', 'in', ['queued', 'sending'])
          .executeTakeFirst();
        return pending === undefined && queued === undefined ? true : undefined;
      });
    },
  };
}

describe('the away message', () => {
  it('goes out once per quiet period, through the Cloud API, marked automatic; never inside the hours, never twice in a row', async () => {
    const s = await scene();
    const evening = s.base;
    const { db } = s.t.server.database;
    const who = customer(s.t, 0);

    const { conversationId } = await s.writes(who, 'Is anyone there?');
    await eventually(() => Promise.resolve(s.awayMessagesTo(who).length === 1 ? true : undefined), 5000, 'the away message at the sandbox');
    // In the history, from nobody, automatic, the customer's window still open.
    const page = await s.desk.call<MessagePage>('GET', `/v1/conversations/${conversationId}/messages`, undefined, s.anna.session.accessToken);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    const away = page.body.items.filter((message) => message.origin === 'automatic');
    expect(away).toMatchObject([{ direction: 'outbound', sentByAgentId: null, content: { type: 'text', body: AWAY } }]);

    // Later the same evening: the same quiet period, nothing more (not even a job).
    s.setClock(evening + 2 * HOUR);
    await s.writes(who, 'Hello?');
    await s.settled();
    expect(s.awayMessagesTo(who)).toHaveLength(1);
    expect(await db.selectFrom('jobs').select('id').where('kind', '=', AWAY_MESSAGE).where('conversation_id', '=', conversationId).execute()).toHaveLength(1);

    // The next day, inside the hours: no job; an agent answers.
    s.setClock(evening + 18 * HOUR);
    await s.writes(who, 'Good morning');
    // Her session of the day before has expired: the service behind POST /v1/messages, as her.
    const anna = { agentId: s.anna.agentId, roles: ['agent'] as const, memberOf: [s.teamId], supervises: [] };
    const reply = await s.t.server.sendService.send(
      { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Good morning, how can I help?' },
      anna,
    );
    expect(reply.duplicate).toBe(false);
    await s.settled();
    expect(await db.selectFrom('jobs').select('id').where('kind', '=', AWAY_MESSAGE).where('conversation_id', '=', conversationId).execute()).toHaveLength(1);

    // The next evening is another quiet period: one again.
    s.setClock(evening + 24 * HOUR);
    await s.writes(who, 'One more thing');
    await eventually(() => Promise.resolve(s.awayMessagesTo(who).length === 2 ? true : undefined), 5000, 'the second away message');

    // The evening after, nobody answered in between: the last message from us is the away message, so none.
    s.setClock(evening + 48 * HOUR);
    await s.writes(who, 'Still waiting');
    await s.settled();
    expect(s.awayMessagesTo(who)).toHaveLength(2);
    const periods = await db
      .selectFrom('away_messages')
      .select('quiet_period_start')
      .where('conversation_id', '=', conversationId)
      .orderBy('quiet_period_start')
      .execute();
    expect(periods.map((row) => row.quiet_period_start)).toEqual([evening - 3 * HOUR, evening + 21 * HOUR]);
    const jobs = await db
      .selectFrom('jobs')
      .select(['state', 'dedupe_key'])
      .where('kind', '=', AWAY_MESSAGE)
      .where('conversation_id', '=', conversationId)
      .orderBy('id')
      .execute();
    expect(jobs).toEqual([
      { state: 'done', dedupe_key: awayMessageKey(conversationId, evening - 3 * HOUR) },
      { state: 'done', dedupe_key: awayMessageKey(conversationId, evening + 21 * HOUR) },
      { state: 'done', dedupe_key: awayMessageKey(conversationId, evening + 45 * HOUR) },
    ]);
  }, 60_000);

  it('sends one for a webhook Meta delivers twice', async () => {
    const s = await scene();
    const who = customer(s.t, 1);
    const { body } = await s.writes(who, 'Are you open?');
    expect((await s.t.postWebhook(body)).status).toBe(200);
    expect((await s.t.postWebhook(body)).status).toBe(200);
    await eventually(() => Promise.resolve(s.awayMessagesTo(who).length > 0 ? true : undefined), 5000, 'the away message');
    await s.settled();
    expect(s.awayMessagesTo(who)).toHaveLength(1);
  }, 30_000);

  it('sends nothing when its job runs after the customer’s 24-hour window has closed', async () => {
    const s = await scene();
    const { committer, numbers } = s.t.server;
    // Closed all week: one quiet period that began "ever since".
    const closed: BusinessHours = {
      timeZone: 'UTC',
      holidays: [],
      week: Object.fromEntries(WEEKDAYS.map((day) => [day, []])) as unknown as BusinessHours['week'],
    };
    expect((await s.desk.call('POST', `/v1/teams/${s.teamId}/hours`, { hours: closed, awayMessage: AWAY }, s.admin.session.accessToken)).status).toBe(200);
    const who = customer(s.t, 2);
    const { conversationId } = await s.writes(who, 'Hello');
    await eventually(() => Promise.resolve(s.awayMessagesTo(who).length === 1 ? true : undefined), 5000, 'the away message');
    // The same job's work, run as if its runner had been down for a day: the window is shut.
    const late = s.clock() + 25 * HOUR;
    const dispatcher = { enqueue: () => undefined };
    const outcome = await committer.submit((trx) => sendAwayMessage(trx, { numbers, dispatcher }, conversationId, { quietPeriodStart: 0 }, late));
    expect(outcome).toEqual({ skipped: 'window_closed' });
    // Inside the window it would find this period's message sent already.
    const again = await committer.submit((trx) => sendAwayMessage(trx, { numbers, dispatcher }, conversationId, { quietPeriodStart: 0 }, s.clock()));
    expect(again).toEqual({ skipped: 'sent_already' });
  }, 30_000);
});
