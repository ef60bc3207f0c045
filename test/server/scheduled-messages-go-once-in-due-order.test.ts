/**
 * Scheduled messages on a listening server with a controllable clock (the server's `now`, moved
 * forward; no sleeps waiting for a due time): each goes once, when its time comes, in due order
 * within a conversation; a free-form message whose 24-hour window has closed by then comes back
 * `window_closed`, or goes as its fallback template; an edit moves it and changes what goes, a
 * cancel stops it, and one that has gone can no longer be edited or cancelled; only those who may
 * see the conversation see its scheduled messages, and a supervisor lists their teams' pending ones.
 * On both stores (the postgres project runs this file against PostgreSQL).
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScheduledMessageList, ScheduledMessageView } from '../../common/schedule/scheduled-message.js';
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
type Changed = { scheduled: ScheduledMessageView; duplicate: boolean };

async function scene() {
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
  t = await startTestServer({ now: clock.now });
  const server = t;
  const desk = await approvedDevice(server, 'desk');
  const anna = await enrolledAgent(server, desk, 'anna');
  const bob = await enrolledAgent(server, desk, 'bob');
  const sara = await enrolledAgent(server, desk, 'sara', 'supervisor');
  const { conversationId } = await customerWrites(server, customer(server, 0), 'Can you call me back tomorrow?');
  // Anna answers, so the conversation is hers (Bob, of the same team, no longer sees it).
  const sent = await desk.call(
    'POST',
    '/v1/messages',
    { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Sure' },
    anna.session.accessToken,
  );
  expect(sent.status).toBe(201);
  await eventually(() => Promise.resolve(server.sandbox.graph.accepted.length === 1 ? true : undefined), 10_000, 'the first reply to reach the Graph stand-in');
  const iso = (at: number) => new Date(at).toISOString();
  const schedule = (body: Record<string, unknown>, token = anna.session.accessToken) =>
    desk.call<Changed>(
      'POST',
      `/v1/conversations/${conversationId}/scheduled-messages`,
      { idempotencyKey: crypto.randomUUID(), timeZone: 'Europe/Rome', ...body },
      token,
    );
  const list = (token = anna.session.accessToken) =>
    desk.call<ScheduledMessageList>('GET', `/v1/conversations/${conversationId}/scheduled-messages`, undefined, token);
  const stateOf = async (id: number) => (await list()).body.items.find((item) => item.id === id);
  const texts = () =>
    server.sandbox.graph.accepted.slice(1).map((m) => {
      const body = m.body as { type: string; text?: { body: string }; template?: { name: string } };
      return body.type === 'text' ? body.text?.body : `template:${body.template?.name}`;
    });
  // From the store: a day later the session's access token has long expired.
  const stored = (id: number) =>
    server.server.database.db
      .selectFrom('scheduled_messages')
      .select(['state', 'reason', 'message_id', 'sent_as_fallback'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  return { server, desk, anna, bob, sara, conversationId, clock, iso, schedule, list, stateOf, stored, texts };
}

describe('a scheduled message', () => {
  it('goes once when its time comes, two due together in their due order, and a later one waits', async () => {
    const { clock, iso, schedule, stateOf, texts, server } = await scene();
    const base = clock.now();
    const second = await schedule({ content: { kind: 'text', text: 'Second, due a moment later' }, sendAt: iso(base + 60_000 + 10) });
    const first = await schedule({ content: { kind: 'text', text: 'First, due first' }, sendAt: iso(base + 60_000) });
    const later = await schedule({ content: { kind: 'text', text: 'Tomorrow' }, sendAt: iso(base + 3 * HOUR) });
    expect([first.status, second.status, later.status]).toEqual([201, 201, 201]);
    expect(first.body.scheduled).toMatchObject({ state: 'pending', timeZone: 'Europe/Rome', sendAt: base + 60_000 });
    // The same key again schedules nothing new.
    const again = await schedule({ idempotencyKey: 'same-key-twice', content: { kind: 'text', text: 'Once' }, sendAt: iso(base + 2 * HOUR) });
    const twice = await schedule({ idempotencyKey: 'same-key-twice', content: { kind: 'text', text: 'Once' }, sendAt: iso(base + 2 * HOUR) });
    expect(twice.body).toEqual({ scheduled: again.body.scheduled, duplicate: true });

    expect(texts()).toEqual([]);
    clock.advance(61_000);
    await eventually(() => Promise.resolve(texts().length === 2 ? true : undefined), 10_000, 'the two due messages to go');
    expect(texts()).toEqual(['First, due first', 'Second, due a moment later']);
    await eventually(async () => ((await stateOf(second.body.scheduled.id))?.state === 'sent' ? true : undefined), 10_000, 'the second to be sent');
    const firstNow = await stateOf(first.body.scheduled.id);
    expect(firstNow).toMatchObject({ state: 'sent', reason: null, sentAsFallback: false, messageId: expect.any(Number) });
    const message = await server.server.database.db
      .selectFrom('messages')
      .select(['origin', 'sent_by_agent_id'])
      .where('id', '=', firstNow?.messageId ?? 0)
      .executeTakeFirstOrThrow();
    expect(message.origin).toBe('agent');
    expect((await stateOf(later.body.scheduled.id))?.state).toBe('pending');
    // Each went once: one message per scheduled one, under its own send key.
    const keyed = await server.server.database.db.selectFrom('messages').select('idempotency_key').where('idempotency_key', 'like', 'scheduled:%').execute();
    expect(keyed).toHaveLength(2);
  });

  it('comes back window_closed when the 24 hours have passed, or goes as its fallback template', async () => {
    const { clock, iso, schedule, stored, texts } = await scene();
    const base = clock.now();
    const plain = await schedule({ content: { kind: 'text', text: 'Are you still there?' }, sendAt: iso(base + 25 * HOUR) });
    const withFallback = await schedule({
      content: { kind: 'text', text: 'Your order shipped' },
      sendAt: iso(base + 25 * HOUR + 1000),
      fallbackTemplate: { name: 'hello_world', languageCode: 'en_US' },
    });
    expect([plain.status, withFallback.status]).toEqual([201, 201]);
    clock.advance(25 * HOUR + 2000);
    await eventually(async () => ((await stored(withFallback.body.scheduled.id)).state === 'sent' ? true : undefined), 10_000, 'the fallback to go');
    expect(await stored(plain.body.scheduled.id)).toEqual({ state: 'returned', reason: 'window_closed', message_id: null, sent_as_fallback: 0 });
    expect(await stored(withFallback.body.scheduled.id)).toMatchObject({ state: 'sent', sent_as_fallback: 1 });
    await eventually(() => Promise.resolve(texts().length === 1 ? true : undefined), 10_000, 'the template to reach the Graph stand-in');
    expect(texts()).toEqual(['template:hello_world']);
  });

  it('is edited or cancelled until it goes, and not after', async () => {
    const { clock, iso, schedule, stateOf, texts, desk, anna } = await scene();
    const base = clock.now();
    const edited = await schedule({ content: { kind: 'text', text: 'Draft' }, sendAt: iso(base + 2 * HOUR) });
    const cancelled = await schedule({ content: { kind: 'text', text: 'Never mind' }, sendAt: iso(base + 60_000) });
    const token = anna.session.accessToken;
    const edit = await desk.call<Changed>(
      'PUT',
      `/v1/scheduled-messages/${edited.body.scheduled.id}`,
      { content: { kind: 'text', text: 'Final wording' }, sendAt: iso(base + 90_000), timeZone: 'America/New_York' },
      token,
    );
    expect(edit.status).toBe(200);
    expect(edit.body.scheduled).toMatchObject({
      state: 'pending',
      sendAt: base + 90_000,
      timeZone: 'America/New_York',
      content: { kind: 'text', text: 'Final wording' },
    });
    const cancel = await desk.call<Changed>('DELETE', `/v1/scheduled-messages/${cancelled.body.scheduled.id}`, undefined, token);
    expect(cancel.body.scheduled.state).toBe('cancelled');
    clock.advance(91_000);
    await eventually(async () => ((await stateOf(edited.body.scheduled.id))?.state === 'sent' ? true : undefined), 10_000, 'the edited one to go');
    await eventually(() => Promise.resolve(texts().length === 1 ? true : undefined), 10_000, 'the edited one to reach the Graph stand-in');
    expect(texts()).toEqual(['Final wording']);
    expect((await stateOf(cancelled.body.scheduled.id))?.state).toBe('cancelled');
    // Gone: neither edited nor cancelled any more.
    const late = await desk.call<{ error: { code: string } }>(
      'PUT',
      `/v1/scheduled-messages/${edited.body.scheduled.id}`,
      { content: { kind: 'text', text: 'Too late' } },
      token,
    );
    expect([late.status, late.body.error.code]).toEqual([409, 'scheduled_message_gone']);
    const lateCancel = await desk.call<{ error: { code: string } }>('DELETE', `/v1/scheduled-messages/${cancelled.body.scheduled.id}`, undefined, token);
    expect([lateCancel.status, lateCancel.body.error.code]).toEqual([409, 'scheduled_message_gone']);
    // A time in the past or a bad zone is refused before anything is stored.
    const past = await schedule({ content: { kind: 'text', text: 'Yesterday' }, sendAt: iso(clock.now() - 1000) });
    expect(past.status).toBe(422);
    const zone = await schedule({ content: { kind: 'text', text: 'Somewhere' }, sendAt: iso(clock.now() + HOUR), timeZone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
  });

  it('is seen only by those who may see the conversation; a supervisor lists their teams’ pending ones', async () => {
    const { clock, iso, schedule, list, desk, bob, sara, conversationId } = await scene();
    const pending = await schedule({ content: { kind: 'text', text: 'Later' }, sendAt: iso(clock.now() + HOUR) });
    expect(pending.status).toBe(201);
    const id = pending.body.scheduled.id;
    // Bob may not see Anna's conversation: not found, whatever he asks.
    expect((await list(bob.session.accessToken)).status).toBe(404);
    expect((await schedule({ content: { kind: 'text', text: 'Mine' }, sendAt: iso(clock.now() + HOUR) }, bob.session.accessToken)).status).toBe(404);
    expect((await desk.call('PUT', `/v1/scheduled-messages/${id}`, { content: { kind: 'text', text: 'Hijack' } }, bob.session.accessToken)).status).toBe(404);
    expect((await desk.call('DELETE', `/v1/scheduled-messages/${id}`, undefined, bob.session.accessToken)).status).toBe(404);
    expect((await desk.call('GET', '/v1/supervision/scheduled-messages', undefined, bob.session.accessToken)).status).toBe(403);
    // Sara supervises the team: she sees it, in the conversation and in her list.
    expect((await list(sara.session.accessToken)).body.items.map((item) => item.id)).toEqual([id]);
    const team = await desk.call<ScheduledMessageList>('GET', '/v1/supervision/scheduled-messages', undefined, sara.session.accessToken);
    expect(team.body.items).toEqual([expect.objectContaining({ id, conversationId, state: 'pending' })]);
  });
});
