/**
 * Bruno's workstation's scheduled-message and reminder calls: asked of X and of E (or of a
 * scheduled message of X), refused as not found with nothing of hers, and nothing changes; asked
 * of his own conversation, they answer (what he schedules there is cancelled at once). The
 * supervisors' list is refused to him, an agent.
 */
import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { IpcCallName } from '../../../common/ipc/contract.js';
import { markersIn, theirIds } from './routes.js';
import type { NeedToKnowScene } from './scene.js';
import { scheduledRowIn } from './schedule-rows.js';
import { ipcCall } from './workstation.js';
import type { IpcProbe } from './workstation.js';

const ask = (scene: NeedToKnowScene, name: IpcCallName, request: unknown) => ipcCall(scene.workstation, name, request);
const later = () => new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();
const scheduleIn = (conversationId: number) => ({
  conversationId,
  idempotencyKey: crypto.randomUUID(),
  content: { kind: 'text', text: 'Ci sentiamo domani' },
  sendAt: later(),
  timeZone: 'Europe/Rome',
});
const theirsNow = async (scene: NeedToKnowScene) => {
  const { db } = scene.t.server.database;
  return {
    scheduled: await db.selectFrom('scheduled_messages').selectAll().where('conversation_id', 'in', theirIds(scene)).orderBy('id').execute(),
    reminders: await db.selectFrom('reminders').selectAll().where('conversation_id', 'in', theirIds(scene)).orderBy('id').execute(),
  };
};

const refusedInTheirs =
  (name: IpcCallName, request: (conversationId: number) => unknown, own: (scene: NeedToKnowScene) => Promise<void>): IpcProbe =>
  async (scene) => {
    const before = await theirsNow(scene);
    let reached = false;
    for (const conversationId of theirIds(scene)) {
      const result = await ask(scene, name, request(conversationId));
      if (result.ok) reached = true;
      else {
        expect(result, `${name} of ${conversationId}`).toMatchObject({ ok: false, code: 'conversation_not_found' });
        expect(markersIn(scene, JSON.stringify(result))).toEqual([]);
      }
    }
    if (!reached) expect(await theirsNow(scene), `${name}: nothing changed in hers`).toEqual(before);
    await own(scene);
    return reached;
  };

export const scheduleMessageIpc = refusedInTheirs('scheduleMessage', scheduleIn, async (scene) => {
  const result = await ask(scene, 'scheduleMessage', scheduleIn(scene.brunos.id));
  expect(result.ok, 'scheduleMessage in his own').toBe(true);
  if (result.ok) {
    const { scheduled } = result.value as { scheduled: { id: number } };
    expect((await ask(scene, 'cancelScheduledMessage', { scheduledId: scheduled.id })).ok).toBe(true);
  }
});

export const listScheduledMessagesIpc = refusedInTheirs(
  'listScheduledMessages',
  (conversationId) => ({ conversationId }),
  async (scene) => {
    expect((await ask(scene, 'listScheduledMessages', { conversationId: scene.brunos.id })).ok, 'listScheduledMessages of his own').toBe(true);
  },
);

export const setReminderIpc = refusedInTheirs(
  'setReminder',
  (conversationId) => ({ conversationId, remindAt: later(), timeZone: 'Europe/Rome' }),
  async (scene) => {
    expect((await ask(scene, 'setReminder', { conversationId: scene.brunos.id, remindAt: later(), timeZone: 'Europe/Rome' })).ok).toBe(true);
    expect((await ask(scene, 'cancelReminder', { conversationId: scene.brunos.id })).ok).toBe(true);
  },
);

export const listRemindersIpc = refusedInTheirs(
  'listReminders',
  (conversationId) => ({ conversationId }),
  async (scene) => {
    expect((await ask(scene, 'listReminders', { conversationId: scene.brunos.id })).ok).toBe(true);
  },
);

export const cancelReminderIpc = refusedInTheirs(
  'cancelReminder',
  (conversationId) => ({ conversationId }),
  async (scene) => {
    expect((await ask(scene, 'cancelReminder', { conversationId: scene.brunos.id })).ok).toBe(true);
  },
);

const byScheduledId =
  (name: 'editScheduledMessage' | 'cancelScheduledMessage'): IpcProbe =>
  async (scene) => {
    const scheduledId = await scheduledRowIn(scene);
    const before = await theirsNow(scene);
    const request = name === 'editScheduledMessage' ? { scheduledId, change: { content: { kind: 'text', text: 'Cambiato' } } } : { scheduledId };
    const result = await ask(scene, name, request);
    if (result.ok) return true;
    expect(result, name).toMatchObject({ ok: false, code: 'scheduled_message_not_found' });
    expect(markersIn(scene, JSON.stringify(result))).toEqual([]);
    expect(await theirsNow(scene), `${name}: nothing changed in hers`).toEqual(before);
    return false;
  };

export const editScheduledMessageIpc = byScheduledId('editScheduledMessage');
export const cancelScheduledMessageIpc = byScheduledId('cancelScheduledMessage');

export const listTeamScheduledMessagesIpc: IpcProbe = async (scene) => {
  const result = await ask(scene, 'listTeamScheduledMessages', {});
  if (!result.ok) {
    expect(result).toMatchObject({ ok: false, code: 'forbidden_role' });
    return false;
  }
  const { items } = result.value as { items: Array<{ conversationId: number }> };
  return items.some((item) => theirIds(scene).includes(item.conversationId));
};
