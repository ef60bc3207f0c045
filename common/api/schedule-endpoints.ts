/**
 * The client API's scheduled messages and reminders (common/schedule/scheduled-message.ts). Every
 * route of a conversation answers only to someone who may see it; a scheduled message is edited or
 * cancelled only while it is pending (one that has gone answers scheduled_message_gone). Snoozing
 * until a time stays POST /v1/conversations/:id/state.
 */
import { z } from 'zod';
import { jsonRoute } from './endpoint.js';
import { IdParams } from './inbox.js';
import {
  EditScheduledBody,
  ReminderList,
  ReminderView,
  ScheduledMessageChanged,
  ScheduledMessageList,
  ScheduleMessageBody,
  SetReminderBody,
} from '../schedule/scheduled-message.js';

export const SCHEDULE_ENDPOINTS = {
  scheduleMessage: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/scheduled-messages',
    summary:
      'Schedule a message (text, a stored upload, or a template) for an ISO instant picked in the agent’s time zone, with an optional fallback template for when the 24-hour window has closed by then; checked now as a send is (card numbers, links, codes, personal data)',
    tag: 'schedule',
    access: 'inbox',
    params: IdParams,
    body: ScheduleMessageBody,
    response: ScheduledMessageChanged,
    successStatus: 201,
  }),
  listScheduledMessages: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/scheduled-messages',
    summary: 'A conversation’s scheduled messages, pending first in due order, then the last 50 that went, came back or were cancelled',
    tag: 'schedule',
    access: 'inbox',
    params: IdParams,
    response: ScheduledMessageList,
  }),
  editScheduledMessage: jsonRoute({
    method: 'PUT',
    url: '/v1/scheduled-messages/:id',
    summary: 'Change a pending scheduled message’s content, time or fallback template; one that has gone is not changed (scheduled_message_gone)',
    tag: 'schedule',
    access: 'inbox',
    params: IdParams,
    body: EditScheduledBody,
    response: ScheduledMessageChanged,
  }),
  cancelScheduledMessage: jsonRoute({
    method: 'DELETE',
    url: '/v1/scheduled-messages/:id',
    summary: 'Cancel a pending scheduled message; one that has gone is not cancelled (scheduled_message_gone)',
    tag: 'schedule',
    access: 'inbox',
    params: IdParams,
    response: ScheduledMessageChanged,
  }),
  listTeamScheduledMessages: jsonRoute({
    method: 'GET',
    url: '/v1/supervision/scheduled-messages',
    summary: 'The pending scheduled messages of the teams the caller supervises (and no other), in due order, at most 500',
    tag: 'schedule',
    access: 'supervisor',
    response: ScheduledMessageList,
  }),
  setReminder: jsonRoute({
    method: 'PUT',
    url: '/v1/conversations/:id/reminder',
    summary: '“Remind me at”: the caller is reminded of this conversation at the instant (one reminder per agent and conversation: a new one moves it)',
    tag: 'schedule',
    access: 'inbox',
    params: IdParams,
    body: SetReminderBody,
    response: ReminderView,
  }),
  listReminders: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/reminder',
    summary: 'The caller’s reminder of this conversation, if pending',
    tag: 'schedule',
    access: 'inbox',
    params: IdParams,
    response: ReminderList,
  }),
  cancelReminder: jsonRoute({
    method: 'DELETE',
    url: '/v1/conversations/:id/reminder',
    summary: 'Cancel the caller’s reminder of this conversation',
    tag: 'schedule',
    access: 'inbox',
    params: IdParams,
    response: z.object({ cancelled: z.boolean() }),
  }),
};
