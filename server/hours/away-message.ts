/**
 * The away message (issue 12): when a customer writes while their conversation's team is outside
 * its hours, the team's away message goes out once per conversation per quiet period (one
 * continuous closed stretch), only inside the 24-hour customer service window, and never twice in
 * a row (not when the conversation's last message from us is already one).
 *
 * The webhook's transaction schedules a job of the runner (`conversation.away_message`) keyed by
 * the conversation and the quiet period's first minute, so a webhook delivered twice, or a second
 * message in the same period, schedules nothing more. The job runs at once and checks again, as
 * things stand when it runs: the conversation's team (it may have moved), that team still closed
 * in that same quiet period, the window still open, no away message sent for the period (the
 * `away_messages` row it adds is the proof), and the last message from us not an away message. It
 * then stores the message queued, as an agent's send is (origin `automatic`, no agent), and hands
 * it to the dispatcher once its transaction commits: the Cloud API sender, retries and statuses
 * as for any message, and a line of the history every viewer of the conversation sees.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { quietPeriodStart } from '../../common/hours/open-hours.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { jobKind } from '../jobs/job-kind.js';
import type { JobKind } from '../jobs/job-kind.js';
import { isConversationBlocked } from '../blocks/customer-blocks.js';
import { isServiceWindowOpen, noteMessage } from '../inbox/conversations.js';
import type { BusinessNumbers } from '../numbers/business-numbers.js';
import type { OutboundDispatcher } from '../sending/outbound-dispatcher.js';
import { insertQueuedOutbound } from '../sending/queued-outbound.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';
import type { CustomerWrote } from '../webhooks/apply-message.js';
import { awayHoursOfConversation } from './team-hours.js';

export const AWAY_MESSAGE = 'conversation.away_message';

const AwayPayload = z.object({ quietPeriodStart: z.number().int().nonnegative() }).strict();
type AwayPayload = z.infer<typeof AwayPayload>;

/** One away message per conversation and quiet period: the job's dedupe key, and the sent message's idempotency key. */
export const awayMessageKey = (conversationId: number, periodStart: number) => `away:${conversationId}:${periodStart}`;

const sentForPeriod = prepareQuery((db, v: { conversationId: number; periodStart: number }) =>
  db.selectFrom('away_messages').select('message_id').where('conversation_id', '=', v.conversationId).where('quiet_period_start', '=', v.periodStart),
);

/** Schedules the away message when the customer wrote outside the hours of a team that has one, and none went out for this quiet period yet. */
export function awayMessageOnCustomerWrite(jobs: Pick<JobRunner, 'schedule'>): CustomerWrote {
  return async (trx, conversationId, writtenAt, now) => {
    const team = await awayHoursOfConversation(trx, conversationId);
    if (team === undefined) return;
    const periodStart = quietPeriodStart(team.hours, writtenAt);
    if (periodStart === undefined) return;
    if ((await sentForPeriod.first(trx, { conversationId, periodStart })) !== undefined) return;
    await jobs.schedule(trx, {
      kind: AWAY_MESSAGE,
      dueAt: now,
      payload: { quietPeriodStart: periodStart } satisfies AwayPayload,
      dedupeKey: awayMessageKey(conversationId, periodStart),
      conversationId,
    });
  };
}

export interface AwayMessageDeps {
  readonly numbers: BusinessNumbers;
  readonly dispatcher: Pick<OutboundDispatcher, 'enqueue'>;
}

/** Why a due away message was not sent (the job ends done either way: nothing to retry). */
export type AwaySkipped = 'no_hours' | 'resolved' | 'open_now' | 'window_closed' | 'sent_already' | 'last_was_away' | 'no_number' | 'customer_blocked';

/** Sends the away message if it is still due; answers what it did. */
export async function sendAwayMessage(
  trx: StoreTransaction,
  deps: AwayMessageDeps,
  conversationId: number,
  payload: AwayPayload,
  now: number,
): Promise<{ sent: number; phoneNumberId: string } | { skipped: AwaySkipped }> {
  const conversation = await trx
    .selectFrom('conversations')
    .select(['id', 'state', 'business_phone_number_id', 'last_inbound_at', 'last_message_at'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (conversation === undefined || conversation.state === 'resolved') return { skipped: 'resolved' };
  if (await isConversationBlocked(trx, conversationId)) return { skipped: 'customer_blocked' };
  const team = await awayHoursOfConversation(trx, conversationId);
  if (team === undefined) return { skipped: 'no_hours' };
  if (quietPeriodStart(team.hours, now) !== payload.quietPeriodStart) return { skipped: 'open_now' };
  if (!isServiceWindowOpen(conversation.last_inbound_at, now)) return { skipped: 'window_closed' };
  if (deps.numbers.line(conversation.business_phone_number_id) === undefined) return { skipped: 'no_number' };
  if ((await sentForPeriod.first(trx, { conversationId, periodStart: payload.quietPeriodStart })) !== undefined) return { skipped: 'sent_already' };
  const lastFromUs = await trx
    .selectFrom('messages')
    .select('origin')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', sql.lit('outbound'))
    .where('amends_wamid', 'is', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (lastFromUs?.origin === 'automatic') return { skipped: 'last_was_away' };
  const key = awayMessageKey(conversationId, payload.quietPeriodStart);
  const messageId = await insertQueuedOutbound(
    trx,
    {
      conversationId,
      origin: 'automatic',
      content: { type: 'text', body: team.awayMessage, previewUrl: false },
      contextWamid: null,
      amendsWamid: null,
      mediaId: null,
      idempotencyKey: key,
      requestHash: key,
      sentByAgentId: null,
    },
    now,
  );
  const recorded = await trx
    .insertInto('away_messages')
    .values({ conversation_id: conversationId, quiet_period_start: payload.quietPeriodStart, message_id: messageId, team_id: team.teamId, sent_at: now })
    .onConflict((oc) => oc.columns(['conversation_id', 'quiet_period_start']).doNothing())
    .returning('message_id')
    .executeTakeFirst();
  // Another runner sent it between the check above and here: this transaction's message must not stand.
  if (recorded === undefined) throw new Error('an away message for this quiet period was sent by another runner');
  await noteMessage(trx, conversation, { messageId, sentAt: now, fromCustomer: false, standalone: true }, now);
  return { sent: messageId, phoneNumberId: conversation.business_phone_number_id };
}

/** The job kind the server registers: runs sendAwayMessage, and wakes the dispatcher for what it stored. */
export function awayMessageKind(deps: AwayMessageDeps): JobKind<AwayPayload> {
  return jobKind({
    kind: AWAY_MESSAGE,
    payload: AwayPayload,
    // The window and the quiet period pass: a message that could not go out soon is better not sent late.
    maxAttempts: 3,
    run: async (context) => {
      const { trx, job, payload, now } = context;
      if (job.conversationId === null) return;
      const conversationId = job.conversationId;
      const done = await sendAwayMessage(trx, deps, conversationId, payload, now);
      if ('sent' in done) context.afterCommit(() => deps.dispatcher.enqueue(conversationId, done.sent, done.phoneNumberId));
    },
  });
}
