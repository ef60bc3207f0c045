/**
 * The SQL that keeps analytics (migration 0035, docs/analytics.md) shared by the migration's
 * backfill and the fold (server/analytics/analytics-fold.ts): which messages count, and the facts
 * of a conversation worked out from its row and its messages. Both run the same statements (the
 * backfill over every conversation, the fold over those its pending rows touch), so what the
 * backfill writes and what the fold keeps cannot drift apart.
 */
import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';

/** A customer's own message (not a reaction, edit, revocation or system notice), in SQL over `alias`. */
export function customerMessage(alias: string): string {
  return `${alias}.direction = 'inbound' AND ${alias}.origin = 'customer' AND ${alias}.type NOT IN ('reaction', 'edit', 'revoke', 'system')`;
}
/** A message of the business (agents', the Business app's echoes, the away message). */
export function outboundMessage(alias: string): string {
  return `${alias}.direction = 'outbound' AND ${alias}.type NOT IN ('reaction', 'edit', 'revoke')`;
}
/** An answer of the business's people: through Sportello or the WhatsApp Business app (not the away message). */
export function answerMessage(alias: string): string {
  return `${outboundMessage(alias)} AND ${alias}.origin IN ('agent', 'business_app')`;
}

/** Which conversations a statement works on: a condition over the named id column. */
export type ConversationFilter = (idColumn: string) => RawBuilder<unknown>;
export const EVERY_CONVERSATION: ConversationFilter = () => sql`1 = 1`;

const CUSTOMER = sql.raw(customerMessage('m'));
const ANSWER = sql.raw(answerMessage('m'));

/**
 * The facts of the filtered conversations: their row's (team, holder, number, state, opened,
 * resolved) inserted or brought up to date, then what their messages say (the first customer
 * message, the first answer after it and who gave it, since when they wait).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- run on the migration's untyped store and the server's typed one
export async function refreshFacts(db: Kysely<any>, which: ConversationFilter): Promise<void> {
  await sql`INSERT INTO analytics_conversations (conversation_id, phone_number_id, team_id, agent_id, state, opened_at, resolved_at, resolved_by_agent_id)
    SELECT id, business_phone_number_id, team_id, assigned_agent_id, state, created_at,
      CASE WHEN state = 'resolved' THEN coalesce(resolved_at, state_changed_at, updated_at) END,
      CASE WHEN state = 'resolved' THEN resolved_by_agent_id END
    FROM conversations WHERE ${which('id')}
    ON CONFLICT (conversation_id) DO UPDATE SET phone_number_id = excluded.phone_number_id, team_id = excluded.team_id,
      agent_id = excluded.agent_id, state = excluded.state, opened_at = excluded.opened_at,
      resolved_at = excluded.resolved_at, resolved_by_agent_id = excluded.resolved_by_agent_id`.execute(db);
  const facts = which('analytics_conversations.conversation_id');
  const mine = sql.raw('m.conversation_id = analytics_conversations.conversation_id');
  await sql`UPDATE analytics_conversations SET first_inbound_at =
    (SELECT min(m.sent_at) FROM messages m WHERE ${mine} AND ${CUSTOMER}) WHERE ${facts}`.execute(db);
  await sql`UPDATE analytics_conversations SET first_response_at = CASE WHEN first_inbound_at IS NULL THEN NULL ELSE
    (SELECT min(m.sent_at) FROM messages m WHERE ${mine} AND ${ANSWER} AND m.sent_at >= analytics_conversations.first_inbound_at) END
    WHERE ${facts}`.execute(db);
  await sql`UPDATE analytics_conversations SET first_response_agent_id = CASE WHEN first_response_at IS NULL THEN NULL ELSE
    (SELECT min(m.sent_by_agent_id) FROM messages m WHERE ${mine} AND ${ANSWER} AND m.sent_at = analytics_conversations.first_response_at) END
    WHERE ${facts}`.execute(db);
  // Waiting: the customer's messages since the business's latest answer, while not resolved.
  await sql`UPDATE analytics_conversations SET awaiting_since = CASE WHEN state = 'resolved' OR first_inbound_at IS NULL THEN NULL ELSE
    (SELECT min(m.sent_at) FROM messages m WHERE ${mine} AND ${CUSTOMER}
      AND m.sent_at > coalesce((SELECT max(a.sent_at) FROM messages a WHERE a.conversation_id = analytics_conversations.conversation_id AND ${sql.raw(
        answerMessage('a'),
      )}), -1)) END
    WHERE ${facts}`.execute(db);
}
