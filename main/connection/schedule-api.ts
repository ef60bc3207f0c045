/** The client API's scheduled-message and reminder routes, called for the workstation (callJson, as server-api.ts does). */
import { CLIENT_API } from '../../common/api/client-api.js';
import type { EditScheduledBody, ScheduleMessageBody, SetReminderBody } from '../../common/schedule/scheduled-message.js';
import { callJson } from './endpoint-request.js';
import type { HttpsTarget } from './https-json.js';

export function scheduleApi(target: () => HttpsTarget) {
  return {
    schedule: (token: string, conversationId: number, body: ScheduleMessageBody) =>
      callJson(target(), CLIENT_API.scheduleMessage, { token, params: { id: conversationId }, body }),
    list: (token: string, conversationId: number) => callJson(target(), CLIENT_API.listScheduledMessages, { token, params: { id: conversationId } }),
    edit: (token: string, scheduledId: number, body: EditScheduledBody) =>
      callJson(target(), CLIENT_API.editScheduledMessage, { token, params: { id: scheduledId }, body }),
    cancel: (token: string, scheduledId: number) => callJson(target(), CLIENT_API.cancelScheduledMessage, { token, params: { id: scheduledId } }),
    teamPending: (token: string) => callJson(target(), CLIENT_API.listTeamScheduledMessages, { token }),
    setReminder: (token: string, conversationId: number, body: SetReminderBody) =>
      callJson(target(), CLIENT_API.setReminder, { token, params: { id: conversationId }, body }),
    reminders: (token: string, conversationId: number) => callJson(target(), CLIENT_API.listReminders, { token, params: { id: conversationId } }),
    cancelReminder: (token: string, conversationId: number) => callJson(target(), CLIENT_API.cancelReminder, { token, params: { id: conversationId } }),
  };
}
