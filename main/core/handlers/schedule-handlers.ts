/** Scheduled messages and reminders (online only: the server keeps them, runs them and decides who may see them). */
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
    listScheduledMessages: ({ conversationId }) => inbox((token) => api.list(token, conversationId)),
    editScheduledMessage: ({ scheduledId, change }) => inbox((token) => api.edit(token, scheduledId, change)),
    cancelScheduledMessage: ({ scheduledId }) => inbox((token) => api.cancel(token, scheduledId)),
    listTeamScheduledMessages: () => inbox((token) => api.teamPending(token)),
    setReminder: ({ conversationId, ...body }) => inbox((token) => api.setReminder(token, conversationId, body)),
    listReminders: ({ conversationId }) => inbox((token) => api.reminders(token, conversationId)),
    cancelReminder: ({ conversationId }) => inbox((token) => api.cancelReminder(token, conversationId)),
  };
}
