/**
 * Scheduled messages and reminders: the server keeps them, runs them and decides who may see them;
 * a conversation's lists are read offline from the cache (main/core/schedule-sync.ts), changes are online only.
 */
import { scheduleApi } from '../../connection/schedule-api.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type ScheduleCall =
  | 'scheduleMessage'
  | 'listScheduledMessages'
  | 'editScheduledMessage'
  | 'cancelScheduledMessage'
  | 'listTeamScheduledMessages'
  | 'setReminder'
  | 'listReminders'
  | 'cancelReminder';

export function scheduleHandlers(core: CoreContext): HandlerTable<ScheduleCall> {
  const api = scheduleApi(() => core.api().target);
  const inbox = <T>(work: (token: string) => Promise<T>) => core.inbox().call(work);
  return {
    scheduleMessage: ({ conversationId, ...body }) => inbox((token) => api.schedule(token, conversationId, body)),
    listScheduledMessages: ({ conversationId }) => core.inbox().schedule.scheduled(conversationId),
    editScheduledMessage: ({ scheduledId, change }) => inbox((token) => api.edit(token, scheduledId, change)),
    cancelScheduledMessage: ({ scheduledId }) => inbox((token) => api.cancel(token, scheduledId)),
    listTeamScheduledMessages: () => inbox((token) => api.teamPending(token)),
    setReminder: ({ conversationId, ...body }) => inbox((token) => api.setReminder(token, conversationId, body)),
    listReminders: ({ conversationId }) => core.inbox().schedule.reminders(conversationId),
    cancelReminder: ({ conversationId }) => inbox((token) => api.cancelReminder(token, conversationId)),
  };
}
