/**
 * A snooze's wake-up is a durable job (the job runner), not a sweep of the conversations table:
 * on a listening server, snoozing schedules one waiting job for the conversation at the snooze's
 * end (a second snooze moves it, never a second job), visible to its team's supervisor; the
 * customer writing first, or the agent reopening it, cancels it in the same transaction; and when
 * the time comes the job wakes the conversation once (its history says the timer did), done. A
 * server restarted between the snooze and its end still wakes it: the job is in the store. One
 * snoozed without a job (as a build that swept for due snoozes left it) gets its job at start.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../common/api/inbox.js';
import type { JobPage } from '../../common/api/presence.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const HOUR = 60 * 60 * 1000;

describe('a snooze’s wake-up', () => {
  it('is one job of the conversation, moved by a new snooze, cancelled when it ends early, and run once when its time comes', async () => {
    let offset = 0;
    t = await startTestServer({ now: () => Date.now() + offset });
    const server = t;
    const { db } = server.server.database;
    const desk = await approvedDevice(server, 'desk');
    const anna = await enrolledAgent(server, desk, 'anna');
    const sara = await enrolledAgent(server, desk, 'sara', 'supervisor');
    const state = (id: number, body: unknown) =>
      desk.call<{ conversation: ConversationSummary }>('POST', `/v1/conversations/${id}/state`, body, anna.session.accessToken);
    const jobsOf = (conversationId: number) =>
      db.selectFrom('jobs').select(['id', 'kind', 'state', 'due_at']).where('conversation_id', '=', conversationId).orderBy('id').execute();
    const stateOf = async (id: number) => (await db.selectFrom('conversations').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

    const { conversationId } = await customerWrites(server, customer(server, 0), 'My parcel is late');
    const sent = await desk.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'On it' },
      anna.session.accessToken,
    );
    expect(sent.status).toBe(201);

    // Snoozed for two hours, then for three: one waiting job, at the later end.
    const first = Date.now() + offset + 2 * HOUR;
    expect((await state(conversationId, { state: 'snoozed', until: first })).status).toBe(200);
    expect(await jobsOf(conversationId)).toEqual([{ id: expect.any(Number), kind: 'conversation.snooze_end', state: 'waiting', due_at: first }]);
    const later = first + HOUR;
    expect((await state(conversationId, { state: 'snoozed', until: later })).status).toBe(200);
    const [moved] = await jobsOf(conversationId);
    expect(await jobsOf(conversationId)).toEqual([{ id: moved?.id, kind: 'conversation.snooze_end', state: 'waiting', due_at: later }]);
    // Its team's supervisor sees it among the timed jobs.
    const listed = await desk.call<JobPage>('GET', '/v1/supervision/jobs', undefined, sara.session.accessToken);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: moved?.id, kind: 'conversation.snooze_end', conversationId, state: 'waiting' }));

    // The customer writes first: open, and the wake-up cancelled with it.
    await customerWrites(server, customer(server, 0), 'Any news?');
    expect(await stateOf(conversationId)).toBe('open');
    expect((await jobsOf(conversationId)).map((job) => job.state)).toEqual(['cancelled']);

    // Snoozed again, and reopened by Anna: cancelled too.
    expect((await state(conversationId, { state: 'snoozed', until: Date.now() + offset + HOUR })).status).toBe(200);
    expect((await state(conversationId, { state: 'open' })).status).toBe(200);
    expect((await jobsOf(conversationId)).map((job) => job.state)).toEqual(['cancelled', 'cancelled']);

    // Snoozed a minute; the server restarts on the same store; the minute passes: woken once, by the job.
    expect((await state(conversationId, { state: 'snoozed', until: Date.now() + offset + 60_000 })).status).toBe(200);
    const again = await server.restart({ now: () => Date.now() + offset });
    t = again;
    const after = again.server.database.db;
    offset += 61_000;
    const stateAfter = async () => (await after.selectFrom('conversations').select('state').where('id', '=', conversationId).executeTakeFirstOrThrow()).state;
    await eventually(async () => ((await stateAfter()) === 'open' ? true : undefined), 10_000, 'the snooze to end');
    const jobsAfter = await after.selectFrom('jobs').select('state').where('conversation_id', '=', conversationId).orderBy('id').execute();
    expect(jobsAfter.map((job) => job.state)).toEqual(['cancelled', 'cancelled', 'done']);
    const woken = await after
      .selectFrom('conversation_history')
      .select(['from_state', 'state', 'cause'])
      .where('conversation_id', '=', conversationId)
      .where('cause', '=', 'timer')
      .execute();
    expect(woken).toEqual([{ from_state: 'snoozed', state: 'open', cause: 'timer' }]);
  });

  it('is given, when the server starts, to a conversation snoozed without one', async () => {
    let offset = 0;
    t = await startTestServer({ now: () => Date.now() + offset });
    const desk = await approvedDevice(t, 'desk');
    const anna = await enrolledAgent(t, desk, 'anna');
    const { conversationId } = await customerWrites(t, customer(t, 0), 'My parcel is late');
    const until = Date.now() + 60_000;
    const snoozed = await desk.call('POST', `/v1/conversations/${conversationId}/state`, { state: 'snoozed', until }, anna.session.accessToken);
    expect(snoozed.status).toBe(200);
    // As a build that swept for due snoozes left it: snoozed, and no job.
    await t.server.database.db.deleteFrom('jobs').where('conversation_id', '=', conversationId).execute();
    t = await t.restart({ now: () => Date.now() + offset });
    const { db } = t.server.database;
    expect(await db.selectFrom('jobs').select(['kind', 'state', 'due_at']).where('conversation_id', '=', conversationId).execute()).toEqual([
      { kind: 'conversation.snooze_end', state: 'waiting', due_at: until },
    ]);
    offset += 61_000;
    await eventually(
      async () =>
        (await db.selectFrom('conversations').select('state').where('id', '=', conversationId).executeTakeFirstOrThrow()).state === 'open' ? true : undefined,
      10_000,
      'the snooze to end',
    );
  });
});
