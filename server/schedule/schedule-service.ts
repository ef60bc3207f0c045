/**
 * Scheduling, editing and cancelling messages, and the agent's reminders: each by someone who may
 * see the conversation (else it is not found), checked as a send now is (card numbers, links,
 * codes, personal data) so a refusal is known at once, and written with its job in one
 * transaction. An edit or a cancel takes the row only while it is pending: the job that takes it
 * first wins, and one that has gone answers scheduled_message_gone. Scheduling and cancelling are
 * audited without the text.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import { sendRequestTexts } from '../../common/cards/outbound-cards.js';
import type { CardRefusals } from '../../common/cards/outbound-cards.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { LinkRefusals } from '../../common/links/outbound-links.js';
import { SendRequest } from '../../common/messages/send-request.js';
import type { z } from 'zod';
import type {
  EditScheduledBody,
  ReminderView,
  ScheduledContent,
  ScheduledMessageView,
  ScheduledTemplate,
  ScheduleMessageBody,
  SetReminderBody,
} from '../../common/schedule/scheduled-message.js';
import { MAX_SCHEDULE_AHEAD_MS } from '../../common/schedule/scheduled-message.js';
import { appendAudit } from '../audit/audit-log.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { PersonalDataGuard } from '../personal-data/personal-data-guard.js';
import type { CodeGuard } from '../safety/code-guard.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { CONVERSATION_REMINDER, heldScheduled, reminderKey, SCHEDULED_MESSAGE, scheduledKey } from './scheduled-kinds.js';
import { newScheduledSendKey } from './scheduled-send-key.js';
import { scheduledView, reminderView } from '../inbox/scheduled-views.js';

export interface ScheduleServiceDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly jobs: Pick<JobRunner, 'schedule' | 'cancel'>;
  readonly cards: CardRefusals;
  readonly links: LinkRefusals;
  readonly codes: Pick<CodeGuard, 'check'>;
  readonly personalData: Pick<PersonalDataGuard, 'check'>;
  readonly now: () => number;
}

type Viewer = ConversationViewer;
type ScheduleRequest = z.output<typeof ScheduleMessageBody>;
type EditRequest = z.output<typeof EditScheduledBody>;
type ReminderRequest = z.output<typeof SetReminderBody>;

const scheduledNotFound = (id: number) => new CodedError('scheduled_message_not_found', `There is no scheduled message ${id} you may see.`);
const gone = () =>
  new CodedError('scheduled_message_gone', 'This scheduled message has already gone, come back or been cancelled: it can no longer be changed.');

export class ScheduleService {
  readonly #deps: ScheduleServiceDeps;

  constructor(deps: ScheduleServiceDeps) {
    this.#deps = deps;
  }

  async schedule(viewer: Viewer, conversationId: number, request: ScheduleRequest): Promise<{ scheduled: ScheduledMessageView; duplicate: boolean }> {
    const { committer, views, jobs, now } = this.#deps;
    await visibleConversation(views, viewer, conversationId);
    const sendAt = this.#when(request.sendAt);
    const fallback = request.fallbackTemplate ?? null;
    this.#fallbackFits(request.content, fallback);
    await this.#checked(viewer, conversationId, request.content, fallback, request.confirmedCode === true);
    const contentJson = JSON.stringify(request.content);
    const fallbackJson = fallback === null ? null : JSON.stringify(fallback);
    const requestHash = hash({ conversationId, contentJson, fallbackJson, sendAt, timeZone: request.timeZone, confirmed: request.confirmedCode === true });
    return committer.submit(async (trx) => {
      const key = `${viewer.agentId}:${request.idempotencyKey}`;
      const earlier = await trx.selectFrom('scheduled_messages').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
      if (earlier !== undefined) {
        if (earlier.request_hash !== requestHash)
          throw new CodedError(
            'idempotency_key_reused',
            'This idempotency key was already used for a different scheduled message; use a new key for a new one.',
          );
        return { scheduled: scheduledView(earlier), duplicate: true };
      }
      const at = now();
      const row = await trx
        .insertInto('scheduled_messages')
        .values({
          conversation_id: conversationId,
          agent_id: viewer.agentId,
          content_json: contentJson,
          fallback_json: fallbackJson,
          send_at: sendAt,
          time_zone: request.timeZone,
          state: 'pending',
          reason: null,
          message_id: null,
          sent_as_fallback: 0,
          confirmed_code: request.confirmedCode === true ? 1 : 0,
          idempotency_key: key,
          send_key: newScheduledSendKey(),
          request_hash: requestHash,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await jobs.schedule(trx, {
        kind: SCHEDULED_MESSAGE,
        dueAt: sendAt,
        payload: { scheduledId: row.id },
        dedupeKey: scheduledKey(row.id),
        conversationId,
        replace: true,
      });
      await this.#audit(
        trx,
        viewer,
        'message.scheduled',
        { conversationId, scheduledId: row.id, kind: request.content.kind, sendAt, fallback: fallback !== null },
        at,
      );
      return { scheduled: scheduledView(row), duplicate: false };
    });
  }

  async edit(viewer: Viewer, id: number, body: EditRequest): Promise<{ scheduled: ScheduledMessageView; duplicate: boolean }> {
    const { committer, jobs, now } = this.#deps;
    const current = await this.#visible(viewer, id);
    const content = (body.content ?? JSON.parse(current.content_json)) as ScheduledContent;
    const fallback = (
      body.fallbackTemplate === undefined ? (current.fallback_json === null ? null : JSON.parse(current.fallback_json)) : body.fallbackTemplate
    ) as ScheduledTemplate | null;
    const sendAt = body.sendAt === undefined ? Number(current.send_at) : this.#when(body.sendAt);
    this.#fallbackFits(content, fallback);
    await this.#checked(viewer, current.conversation_id, content, fallback, body.confirmedCode ?? Number(current.confirmed_code) === 1);
    return committer.submit(async (trx) => {
      const held = await heldScheduled(trx, id);
      if (held?.state !== 'pending') throw gone();
      const at = now();
      const row = await trx
        .updateTable('scheduled_messages')
        .set({
          content_json: JSON.stringify(content),
          fallback_json: fallback === null ? null : JSON.stringify(fallback),
          send_at: sendAt,
          time_zone: body.timeZone ?? held.time_zone,
          confirmed_code: (body.confirmedCode ?? Number(held.confirmed_code) === 1) ? 1 : 0,
          updated_at: at,
        })
        .where('id', '=', id)
        .where('state', '=', sql.lit('pending'))
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw gone();
      await jobs.schedule(trx, {
        kind: SCHEDULED_MESSAGE,
        dueAt: sendAt,
        payload: { scheduledId: id },
        dedupeKey: scheduledKey(id),
        conversationId: row.conversation_id,
        replace: true,
      });
      await this.#audit(trx, viewer, 'message.schedule_edited', { conversationId: row.conversation_id, scheduledId: id, kind: content.kind, sendAt }, at);
      return { scheduled: scheduledView(row), duplicate: false };
    });
  }

  async cancel(viewer: Viewer, id: number): Promise<{ scheduled: ScheduledMessageView; duplicate: boolean }> {
    const { committer, jobs, now } = this.#deps;
    await this.#visible(viewer, id);
    return committer.submit(async (trx) => {
      const at = now();
      const row = await trx
        .updateTable('scheduled_messages')
        .set({ state: 'cancelled', updated_at: at })
        .where('id', '=', id)
        .where('state', '=', sql.lit('pending'))
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw gone();
      await jobs.cancel(trx, { kind: SCHEDULED_MESSAGE, dedupeKey: scheduledKey(id) });
      await this.#audit(trx, viewer, 'message.schedule_cancelled', { conversationId: row.conversation_id, scheduledId: id }, at);
      return { scheduled: scheduledView(row), duplicate: false };
    });
  }

  async setReminder(viewer: Viewer, conversationId: number, body: ReminderRequest): Promise<ReminderView> {
    const { committer, views, jobs, now } = this.#deps;
    await visibleConversation(views, viewer, conversationId);
    const remindAt = this.#when(body.remindAt);
    return committer.submit(async (trx) => {
      const at = now();
      const row = await trx
        .insertInto('reminders')
        .values({
          conversation_id: conversationId,
          agent_id: viewer.agentId,
          remind_at: remindAt,
          time_zone: body.timeZone,
          state: 'pending',
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) =>
          oc.columns(['conversation_id', 'agent_id']).doUpdateSet({ remind_at: remindAt, time_zone: body.timeZone, state: 'pending', updated_at: at }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      await jobs.schedule(trx, {
        kind: CONVERSATION_REMINDER,
        dueAt: remindAt,
        payload: { reminderId: row.id },
        dedupeKey: reminderKey(row.id),
        conversationId,
        replace: true,
      });
      return reminderView(row);
    });
  }

  async reminders(viewer: Viewer, conversationId: number): Promise<ReminderView[]> {
    await visibleConversation(this.#deps.views, viewer, conversationId);
    const rows = await this.#deps.db
      .selectFrom('reminders')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('agent_id', '=', viewer.agentId)
      .where('state', '=', sql.lit('pending'))
      .execute();
    return rows.map(reminderView);
  }

  async cancelReminder(viewer: Viewer, conversationId: number): Promise<boolean> {
    const { committer, views, jobs, now } = this.#deps;
    await visibleConversation(views, viewer, conversationId);
    return committer.submit(async (trx) => {
      const row = await trx
        .updateTable('reminders')
        .set({ state: 'cancelled', updated_at: now() })
        .where('conversation_id', '=', conversationId)
        .where('agent_id', '=', viewer.agentId)
        .where('state', '=', sql.lit('pending'))
        .returning('id')
        .executeTakeFirst();
      if (row === undefined) return false;
      await jobs.cancel(trx, { kind: CONVERSATION_REMINDER, dedupeKey: reminderKey(row.id) });
      return true;
    });
  }

  /** The row, if the viewer may see its conversation; scheduled_message_not_found otherwise. */
  async #visible(viewer: Viewer, id: number) {
    const row = await this.#deps.db.selectFrom('scheduled_messages').selectAll().where('id', '=', id).executeTakeFirst();
    const conversation = row === undefined ? undefined : await this.#deps.views.conversation(row.conversation_id);
    if (row === undefined || conversation === undefined || !maySeeConversation(viewer, conversation)) throw scheduledNotFound(id);
    return row;
  }

  #when(instant: string): number {
    const at = Date.parse(instant);
    const now = this.#deps.now();
    if (!Number.isFinite(at)) throw new CodedError('invalid_request', 'The time must be an ISO 8601 date and time with its offset.');
    if (at <= now) throw new CodedError('schedule_in_the_past', 'That time has already passed: pick a time in the future.');
    if (at - now > MAX_SCHEDULE_AHEAD_MS) throw new CodedError('schedule_too_far', 'That is too far ahead: pick a time within 90 days.');
    return at;
  }

  #fallbackFits(content: ScheduledContent, fallback: ScheduledTemplate | null): void {
    if (fallback !== null && content.kind === 'template')
      throw new CodedError('schedule_fallback_not_needed', 'A template goes whatever the window: a fallback template is only for a text or a file.');
  }

  /** The same refusals as a send now, so the agent learns at once; the send checks again when it goes. */
  async #checked(viewer: Viewer, conversationId: number, content: ScheduledContent, fallback: ScheduledTemplate | null, confirmed: boolean): Promise<void> {
    const writer = { agentId: viewer.agentId, conversationId };
    const base = { idempotencyKey: 'schedule-check', conversationId };
    const requests = [SendRequest.parse({ ...base, ...content })];
    if (fallback !== null) requests.push(SendRequest.parse({ ...base, kind: 'template', ...fallback }));
    for (const request of requests) {
      const texts = sendRequestTexts(request);
      await this.#deps.cards.refuse('message', texts, writer);
      await this.#deps.links.refuse('message', texts, writer);
      await this.#deps.codes.check(texts, confirmed, writer);
      await this.#deps.personalData.check(request, writer);
    }
  }

  #audit(trx: StoreTransaction, viewer: Viewer, event: string, details: Record<string, string | number | boolean>, at: number): Promise<void> {
    return appendAudit(trx, { event, outcome: 'ok', actor: `agent:${viewer.agentId}`, agentId: viewer.agentId, details }, at);
  }
}

function hash(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
