/**
 * The scheduled-message and reminder routes asked of one conversation (Anna's X, or team B's V)
 * by every viewer. Whoever may see the conversation lists, schedules, edits and cancels its
 * scheduled messages and sets their own reminder on it (what they schedule is cancelled at once,
 * so nothing goes); whoever may not gets "not found", exactly as for a missing conversation,
 * holding nothing of it, and nothing changes. A supervisor's list of pending scheduled messages
 * holds the conversation's only for a supervisor of its team.
 */
import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { ScheduledMessageList } from '../../../common/schedule/scheduled-message.js';
import { expectNotFound } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene } from './scene.js';

interface Target {
  readonly id: (scene: NeedToKnowScene) => number;
  readonly markersIn: (scene: NeedToKnowScene, text: string) => string[];
}

const DAY = 24 * 60 * 60 * 1000;

async function snapshot(scene: NeedToKnowScene, id: number) {
  const { db } = scene.t.server.database;
  return {
    scheduled: await db.selectFrom('scheduled_messages').selectAll().where('conversation_id', '=', id).orderBy('id').execute(),
    reminders: await db.selectFrom('reminders').selectAll().where('conversation_id', '=', id).orderBy('id').execute(),
    messages: (await db.selectFrom('messages').select('id').where('conversation_id', '=', id).execute()).length,
  };
}

/** A pending scheduled message of the conversation, far ahead and without a job (so it never goes), as Anna's. */
async function pendingOf(scene: NeedToKnowScene, conversationId: number): Promise<number> {
  const at = Date.now();
  const row = await scene.t.server.committer.submit((trx) =>
    trx
      .insertInto('scheduled_messages')
      .values({
        conversation_id: conversationId,
        agent_id: scene.anna.agentId,
        content_json: JSON.stringify({ kind: 'text', text: 'A più tardi' }),
        fallback_json: null,
        send_at: at + 30 * DAY,
        time_zone: 'Europe/Rome',
        state: 'pending',
        reason: null,
        message_id: null,
        idempotency_key: `probe:${crypto.randomUUID()}`,
        request_hash: 'probe',
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

const later = () => new Date(Date.now() + 30 * DAY).toISOString();

export function scheduleProbes(target: Target): Record<string, RouteProbe> {
  const refusedUnchanged = async (
    scene: NeedToKnowScene,
    viewer: Parameters<RouteProbe>[1],
    answer: { status: number; body: unknown },
    code: string,
    what: string,
    before: Awaited<ReturnType<typeof snapshot>>,
  ) => {
    expectNotFound(scene, viewer, answer, code, `${viewer.name} ${what}`);
    expect(target.markersIn(scene, JSON.stringify(answer.body))).toEqual([]);
    expect(await snapshot(scene, target.id(scene)), `${viewer.name} ${what}: nothing changed`).toEqual(before);
    return false;
  };
  const schedule: RouteProbe = async (scene, viewer) => {
    const id = target.id(scene);
    const before = await snapshot(scene, id);
    const body = { idempotencyKey: crypto.randomUUID(), content: { kind: 'text', text: 'Ci sentiamo domani' }, sendAt: later(), timeZone: 'Europe/Rome' };
    const answer = await scene.desk.call<{ scheduled: { id: number } }>('POST', `/v1/conversations/${id}/scheduled-messages`, body, viewer.token);
    if (answer.status === 201) {
      expect((await scene.desk.call('DELETE', `/v1/scheduled-messages/${answer.body.scheduled.id}`, undefined, viewer.token)).status).toBe(200);
      return true;
    }
    return refusedUnchanged(scene, viewer, answer, 'conversation_not_found', 'scheduling a message in it', before);
  };
  const list: RouteProbe = async (scene, viewer) => {
    const id = target.id(scene);
    await pendingOf(scene, id);
    const answer = await scene.desk.call<ScheduledMessageList>('GET', `/v1/conversations/${id}/scheduled-messages`, undefined, viewer.token);
    if (answer.status === 200) {
      expect(answer.body.items.length, `${viewer.name} listing its scheduled messages`).toBeGreaterThan(0);
      return true;
    }
    return refusedUnchanged(scene, viewer, answer, 'conversation_not_found', 'listing its scheduled messages', await snapshot(scene, id));
  };
  const edit: RouteProbe = async (scene, viewer) => {
    const id = target.id(scene);
    const scheduled = await pendingOf(scene, id);
    const before = await snapshot(scene, id);
    const answer = await scene.desk.call('PUT', `/v1/scheduled-messages/${scheduled}`, { content: { kind: 'text', text: 'Cambiato' } }, viewer.token);
    if (answer.status === 200) return true;
    return refusedUnchanged(scene, viewer, answer, 'scheduled_message_not_found', 'editing its scheduled message', before);
  };
  const cancel: RouteProbe = async (scene, viewer) => {
    const id = target.id(scene);
    const scheduled = await pendingOf(scene, id);
    const before = await snapshot(scene, id);
    const answer = await scene.desk.call('DELETE', `/v1/scheduled-messages/${scheduled}`, undefined, viewer.token);
    if (answer.status === 200) return true;
    return refusedUnchanged(scene, viewer, answer, 'scheduled_message_not_found', 'cancelling its scheduled message', before);
  };
  const teamList: RouteProbe = async (scene, viewer) => {
    const id = target.id(scene);
    await pendingOf(scene, id);
    const answer = await scene.desk.call<ScheduledMessageList>('GET', '/v1/supervision/scheduled-messages', undefined, viewer.token);
    if (answer.status === 403) {
      expect(answer.body, viewer.name).toMatchObject({ error: { code: 'forbidden_role' } });
      return false;
    }
    expect(answer.status, viewer.name).toBe(200);
    return answer.body.items.some((item) => item.conversationId === id);
  };
  const setReminder: RouteProbe = async (scene, viewer) => {
    const id = target.id(scene);
    const before = await snapshot(scene, id);
    const answer = await scene.desk.call('PUT', `/v1/conversations/${id}/reminder`, { remindAt: later(), timeZone: 'Europe/Rome' }, viewer.token);
    if (answer.status === 200) {
      expect((await scene.desk.call('DELETE', `/v1/conversations/${id}/reminder`, undefined, viewer.token)).status).toBe(200);
      return true;
    }
    return refusedUnchanged(scene, viewer, answer, 'conversation_not_found', 'setting a reminder on it', before);
  };
  const reminderRoute =
    (method: 'GET' | 'DELETE', what: string): RouteProbe =>
    async (scene, viewer) => {
      const id = target.id(scene);
      const before = await snapshot(scene, id);
      const answer = await scene.desk.call(method, `/v1/conversations/${id}/reminder`, undefined, viewer.token);
      if (answer.status === 200) return true;
      return refusedUnchanged(scene, viewer, answer, 'conversation_not_found', what, before);
    };
  return {
    'POST /v1/conversations/:id/scheduled-messages': schedule,
    'GET /v1/conversations/:id/scheduled-messages': list,
    'PUT /v1/scheduled-messages/:id': edit,
    'DELETE /v1/scheduled-messages/:id': cancel,
    'GET /v1/supervision/scheduled-messages': teamList,
    'PUT /v1/conversations/:id/reminder': setReminder,
    'GET /v1/conversations/:id/reminder': reminderRoute('GET', 'reading their reminder of it'),
    'DELETE /v1/conversations/:id/reminder': reminderRoute('DELETE', 'cancelling their reminder of it'),
  };
}
