/** The workstation's calls for scheduled messages and reminders (common/api/schedule-endpoints.ts), part of the IPC contract (contract.ts). Online only: the server keeps them and decides who may. */
import { z } from 'zod';
import {
  EditScheduledBody,
  ReminderList,
  ReminderView,
  ScheduledMessageChanged,
  ScheduledMessageList,
  ScheduleMessageBody,
  SetReminderBody,
} from '../schedule/scheduled-message.js';

const Id = z.number().int().positive();
const Conversation = z.object({ conversationId: Id }).strict();
const call = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

export const SCHEDULE_CALLS = {
  /** Schedules a message in a conversation for a time in the agent's time zone (one per idempotency key). */
  scheduleMessage: call(ScheduleMessageBody.extend({ conversationId: Id }).strict(), ScheduledMessageChanged),
  /** A conversation's scheduled messages: pending first in due order, then the last that went, came back or were cancelled. */
  listScheduledMessages: call(Conversation, ScheduledMessageList),
  /** Changes a pending one (content, time, fallback template); one that has gone answers scheduled_message_gone. */
  editScheduledMessage: call(z.object({ scheduledId: Id, change: EditScheduledBody }).strict(), ScheduledMessageChanged),
  cancelScheduledMessage: call(z.object({ scheduledId: Id }).strict(), ScheduledMessageChanged),
  /** The pending scheduled messages of the teams the agent supervises. */
  listTeamScheduledMessages: call(z.object({}).strict(), ScheduledMessageList),
  /** "Remind me at": the agent's own reminder of the conversation (a new one moves it). */
  setReminder: call(SetReminderBody.extend({ conversationId: Id }).strict(), ReminderView),
  listReminders: call(Conversation, ReminderList),
  cancelReminder: call(Conversation, z.object({ cancelled: z.boolean() })),
} as const;
