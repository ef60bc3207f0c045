/**
 * POST /v1/conversations/:id/state refuses what it must, with a code of its own and nothing
 * changed: a snooze into the past or past 90 days, an unknown state, a change the conversation's
 * state does not allow, and any change to a conversation the caller may not see (not found, as
 * the other routes answer, so that its existence does not leak). Nothing changed means: the
 * conversation's row, its history, the audit log and the event feed are as they were.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SNOOZE_MS } from '../../common/api/conversation-lifecycle.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** What a refusal must leave as it was. */
async function footprint(server: TestServer, conversationId: number) {
  const { db } = server.server.database;
  await server.server.database.feedSequencer.stamp();
  const count = async (table: 'conversation_history' | 'audit_log') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // The reply's delivery statuses keep coming from the sandbox: only what a state change would add counts.
  const changes = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', 'in', ['conversation', 'history', 'assignment'])
    .executeTakeFirstOrThrow();
  return {
    conversation: await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow(),
    history: await count('conversation_history'),
    audit: await count('audit_log'),
    events: Number(changes.n),
  };
}

describe('changing a conversation’s state', () => {
  it('refuses bad input and conversations the caller may not see, each with its code, changing nothing', async () => {
    t = await startTestServer();
    const desk = await approvedDevice(t, 'desk');
    const anna = await enrolledAgent(t, desk, 'anna');
    const bruno = await enrolledAgent(t, desk, 'bruno');
    const written = await customerWrites(t, customer(t, 0), 'Hello, my order is late');
    const reply = await desk.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: written.conversationId, kind: 'text', text: 'Let me look' },
      anna.session.accessToken,
    );
    expect(reply.status).toBe(201);
    const id = written.conversationId;
    const change = (body: unknown, token = anna.session.accessToken, conversationId = id) =>
      desk.call<{ error: { code: string; message: string } }>('POST', `/v1/conversations/${conversationId}/state`, body, token);
    const before = await footprint(t, id);
    const now = Date.now();

    const refusals: Array<[string, unknown, number, string, string?]> = [
      ['a snooze into the past', { state: 'snoozed', until: now - 60_000 }, 422, 'snooze_in_the_past'],
      ['a snooze ending now', { state: 'snoozed', until: now - 1 }, 422, 'snooze_in_the_past'],
      ['a snooze past 90 days', { state: 'snoozed', until: now + MAX_SNOOZE_MS + 60_000 }, 422, 'snooze_too_far'],
      ['an unknown state', { state: 'archived' }, 400, 'invalid_request', 'state must be open, pending, snoozed or resolved'],
      ['no state', {}, 400, 'invalid_request'],
      ['a snooze without its time', { state: 'snoozed' }, 400, 'invalid_request'],
      ['a time that is not one', { state: 'snoozed', until: 'tomorrow' }, 400, 'invalid_request'],
      ['a time with another state', { state: 'resolved', until: now + 60_000 }, 400, 'invalid_request'],
      ['reopening an open conversation', { state: 'open' }, 409, 'conversation_state_unchanged'],
    ];
    for (const [what, body, status, code, words] of refusals) {
      const answer = await change(body);
      expect(answer.status, what).toBe(status);
      expect(answer.body.error.code, what).toBe(code);
      if (words !== undefined) expect(answer.body.error.message, what).toContain(words);
    }
    // Bruno may not see Anna's conversation: to him it does not exist, whatever he asks; one that does not exist answers the same.
    for (const body of [{ state: 'resolved' }, { state: 'pending' }, { state: 'open' }, { state: 'snoozed', until: now + 3_600_000 }]) {
      const hidden = await change(body, bruno.session.accessToken);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe('conversation_not_found');
      const missing = await change(body, anna.session.accessToken, id + 1000);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toEqual({ code: 'conversation_not_found', message: hidden.body.error.message.replace(String(id), String(id + 1000)) });
    }
    expect(await footprint(t, id)).toEqual(before);

    // A resolved conversation is neither snoozed nor marked pending (reopen first), nor resolved twice.
    expect((await change({ state: 'resolved' })).status).toBe(200);
    const resolved = await footprint(t, id);
    for (const [body, code] of [
      [{ state: 'pending' }, 'conversation_resolved'],
      [{ state: 'snoozed', until: Date.now() + 3_600_000 }, 'conversation_resolved'],
      [{ state: 'resolved' }, 'conversation_state_unchanged'],
    ] as const) {
      const answer = await change(body);
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe(code);
    }
    // Nor is a reply sent in it: the customer is answered once it is reopened.
    const late = await desk.call<{ error: { code: string } }>(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId: id, kind: 'text', text: 'One more thing' },
      anna.session.accessToken,
    );
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('conversation_resolved');
    expect(await footprint(t, id)).toEqual(resolved);

    // The customer writes again: a new conversation; the resolved one cannot be reopened beside it.
    const again = await customerWrites(t, customer(t, 0), 'Me again');
    expect(again.conversationId).not.toBe(id);
    const continued = await footprint(t, id);
    const reopen = await change({ state: 'open' });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('conversation_continued');
    expect(await footprint(t, id)).toEqual(continued);
  }, 60_000);
});
