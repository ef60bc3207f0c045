/**
 * Scheduled messages and reminders, wired: the service the routes call, the job kinds the runner
 * runs, and the sender that hands due messages to SendService (started after the dispatcher, so a
 * message it finds queued or interrupted is the dispatcher's already).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { CardRefusals } from '../../common/cards/outbound-cards.js';
import type { LinkRefusals } from '../../common/links/outbound-links.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { PersonalDataGuard } from '../personal-data/personal-data-guard.js';
import { CodeGuard } from '../safety/code-guard.js';
import type { SendService } from '../sending/send-service.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { ScheduleService } from './schedule-service.js';
import { reminderKind, scheduledMessageKind } from './scheduled-kinds.js';
import { ScheduledSender } from './scheduled-sender.js';

export interface ScheduleFeatureDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly jobs: JobRunner;
  readonly sendService: Pick<SendService, 'send'>;
  readonly cards: CardRefusals;
  readonly links: LinkRefusals;
  /** What the code and personal-data guards are built on (the server's safety policies and actions). */
  readonly safety: ConstructorParameters<typeof CodeGuard>[0] & ConstructorParameters<typeof PersonalDataGuard>[0];
  readonly log: Logger;
  readonly now: () => number;
}

export interface ScheduleFeature {
  readonly service: ScheduleService;
  readonly sender: ScheduledSender;
}

export function scheduleFeature(deps: ScheduleFeatureDeps): ScheduleFeature {
  const { db, committer, views, jobs, sendService, cards, links, safety, log, now } = deps;
  const sender = new ScheduledSender({ db, committer, sendService, log, now });
  jobs.register(scheduledMessageKind((conversationId) => sender.handOff(conversationId)));
  jobs.register(reminderKind);
  const service = new ScheduleService({
    db,
    committer,
    views,
    jobs,
    cards,
    links,
    codes: new CodeGuard(safety),
    personalData: new PersonalDataGuard(safety),
    now,
  });
  return { service, sender };
}
