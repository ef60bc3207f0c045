/**
 * Taking a queued send when several replicas share one PostgreSQL (docs/replicas.md). Each
 * replica's dispatcher schedules what it knows of the queue in memory; what decides who hands a
 * message to Meta is this claim, one transaction in the store:
 *
 * - the message's row, `FOR UPDATE SKIP LOCKED` and still `queued` (another replica claiming it
 *   at the same moment is skipped, one that claimed it already left it `sending`);
 * - no earlier outbound message of its conversation queued or in flight (the conversation's order
 *   holds whichever replica sends);
 * - the customer pair limit, counted over every replica's attempts (`messages.dispatched_at`);
 * - the number's next free slot (`send_pacing`, its row locked by the upsert), so the number's
 *   pace holds across replicas: slots are spaced by the interval on the database's clock;
 * - then queued → sending, the attempt counted and stamped.
 *
 * Anything that does not hold leaves the message queued and says how long to wait. SQLite (one
 * process, one writer) never gets here: its dispatcher's in-memory pacing is the whole truth.
 */
import { sql } from 'kysely';
import { STATUS_RANK } from '../inbox/message-status.js';
import type { StoreTransaction } from '../store/group-commit.js';

export interface SendClaimRequest {
  readonly messageId: number;
  readonly conversationId: number;
  readonly phoneNumberId: string;
  /** The number's spacing between sends. */
  readonly intervalMs: number;
  /** The customer pair limit: at most `burst` attempts in any `windowMs`. */
  readonly pair: { readonly burst: number; readonly windowMs: number };
  readonly now: number;
}

export type SendClaim =
  | { readonly kind: 'claimed'; readonly attempt: number }
  /** No longer queued, or being claimed by another replica right now. */
  | { readonly kind: 'taken' }
  /** An earlier message of its conversation is queued or in flight (possibly on another replica). */
  | { readonly kind: 'behind' }
  | { readonly kind: 'paced'; readonly waitMs: number }
  | { readonly kind: 'pair_limited'; readonly waitMs: number };

const NOW_MS = sql<number>`floor(extract(epoch from clock_timestamp()) * 1000)::bigint`;
const NOW_US = sql<number>`floor(extract(epoch from clock_timestamp()) * 1000000)::bigint`;

/**
 * In the committer's transaction (`trx`): a refusal writes nothing (the pacing upsert whose
 * condition fails changes no row), and the rows it locked stay locked until that commits.
 */
export async function claimSend(trx: StoreTransaction, request: SendClaimRequest): Promise<SendClaim> {
  const { messageId, conversationId } = request;
  const mine = await trx.selectFrom('messages').select(['status']).where('id', '=', messageId).forUpdate().skipLocked().executeTakeFirst();
  if (mine?.status !== 'queued') return { kind: 'taken' };
  const earlier = await trx
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'outbound')
    .where('status', 'in', ['queued', 'sending'])
    .where('id', '<', messageId)
    .limit(1)
    .executeTakeFirst();
  if (earlier !== undefined) return { kind: 'behind' };

  const { burst, windowMs } = request.pair;
  const recent = await sql<{ dispatched_at: number; now_ms: number }>`
    select dispatched_at, ${NOW_MS} as now_ms from messages
     where conversation_id = ${conversationId} and direction = 'outbound' and dispatched_at > ${NOW_MS} - ${windowMs}
     order by dispatched_at desc limit ${burst}`.execute(trx);
  const oldest = recent.rows[burst - 1];
  if (oldest !== undefined) return { kind: 'pair_limited', waitMs: Math.max(1, oldest.dispatched_at + windowMs - oldest.now_ms) };

  const intervalUs = Math.max(1, Math.round(request.intervalMs * 1000));
  const slot = await sql<{ next_free_us: number }>`
    insert into send_pacing as p (phone_number_id, next_free_us) values (${request.phoneNumberId}, ${NOW_US} + ${intervalUs})
    on conflict (phone_number_id) do update set next_free_us = greatest(p.next_free_us, ${NOW_US}) + ${intervalUs}
     where p.next_free_us <= ${NOW_US}
    returning next_free_us`.execute(trx);
  if (slot.rows.length === 0) {
    const held = await sql<{ wait_us: number }>`
      select next_free_us - ${NOW_US} as wait_us from send_pacing where phone_number_id = ${request.phoneNumberId}`.execute(trx);
    return { kind: 'paced', waitMs: Math.max(1, Math.ceil((held.rows[0]?.wait_us ?? 1000) / 1000)) };
  }

  const claimed = await trx
    .updateTable('messages')
    .set({ status: 'sending', status_rank: STATUS_RANK.sending, attempts: sql<number>`attempts + 1`, status_at: request.now, dispatched_at: NOW_MS })
    .where('id', '=', messageId)
    .where('status', '=', 'queued')
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return { kind: 'claimed', attempt: claimed.attempts };
}

/** Meta said 130429 to one replica: no replica sends from this number for `ms`. */
export async function pauseNumber(trx: StoreTransaction, phoneNumberId: string, ms: number): Promise<void> {
  const untilUs = sql<number>`${NOW_US} + ${Math.round(ms * 1000)}`;
  await sql`insert into send_pacing as p (phone_number_id, next_free_us) values (${phoneNumberId}, ${untilUs})
    on conflict (phone_number_id) do update set next_free_us = greatest(p.next_free_us, excluded.next_free_us)`.execute(trx);
}
