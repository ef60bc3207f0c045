/** The handlers of the client API's scheduled messages and reminders (common/api/schedule-endpoints.ts). */
import { visibilityOf } from '../../common/api/conversation-access.js';
import type { SCHEDULE_ENDPOINTS } from '../../common/api/schedule-endpoints.js';
import type { Kysely } from 'kysely';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import type { ScheduleService } from '../schedule/schedule-service.js';
import { pendingOfTeams, scheduledOfConversation } from '../inbox/scheduled-views.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export interface ScheduleRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly views: InboxViews;
  readonly service: ScheduleService;
}

export function scheduleHandlers({ db, views, service }: ScheduleRouteDeps): Handlers<typeof SCHEDULE_ENDPOINTS> {
  return {
    scheduleMessage: ({ params, body, principal }) => service.schedule(principal, params.id, body),
    listScheduledMessages: async ({ params, principal }) => {
      await visibleConversation(views, principal, params.id);
      return { items: await scheduledOfConversation(db, params.id) };
    },
    editScheduledMessage: ({ params, body, principal }) => service.edit(principal, params.id, body),
    cancelScheduledMessage: ({ params, principal }) => service.cancel(principal, params.id),
    // The teams the caller supervises, as the visibility rule has them (none without the role).
    listTeamScheduledMessages: async ({ principal }) => ({ items: await pendingOfTeams(db, visibilityOf(principal)?.teams ?? []) }),
    setReminder: ({ params, body, principal }) => service.setReminder(principal, params.id, body),
    listReminders: async ({ params, principal }) => ({ items: await service.reminders(principal, params.id) }),
    cancelReminder: async ({ params, principal }) => ({ cancelled: await service.cancelReminder(principal, params.id) }),
  };
}
