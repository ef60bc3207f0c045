/**
 * The scheduler's two kinds of job (server/jobs/job-kind.ts). `message.scheduled`, in the job's
 * transaction: the row is taken only while pending and due (an edit or a cancel that came first
 * wins; one after finds it gone); then the conversation is checked again (still one its agent may
 * see, not blocked, not a group, not resolved) and the 24-hour window: a free-form message whose
 * window has closed comes back `window_closed`, or, with a fallback template, becomes that. What
 * may go is marked `sending` and handed, once the transaction commits, to the sender
 * (scheduled-sender.ts), which queues it through SendService under a key derived from the row.
 * `conversation.reminder`: the agent's reminder comes due (a feed event for them alone).
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import { isConversationBlocked } from '../blocks/customer-blocks.js';
import { isServiceWindowOpen } from '../inbox/conversations.js';
import { jobKind } from '../jobs/job-kind.js';
import { rolesOf } from '../store/agent-roles.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { dialectOf } from '../store/sql-dialect.js';
import { teamScopesOf } from '../sessions/team-scope.js';

export const SCHEDULED_MESSAGE = 'message.scheduled';
export const CONVERSATION_REMINDER = 'conversation.reminder';
export const scheduledKey = (id: number) => `scheduled:${id}`;
export const reminderKey = (id: number) => `reminder:${id}`;

/** The row of a scheduled message, held until the transaction ends (PostgreSQL: FOR UPDATE; SQLite: its one writer). */
export async function heldScheduled(trx: StoreTransaction, id: number) {
  let query = trx.selectFrom('scheduled_messages').selectAll().where('id', '=', id);
  if (dialectOf(trx) === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

async function returned(trx: StoreTransaction, id: number, reason: string, now: number): Promise<void> {
  await trx.updateTable('scheduled_messages').set({ state: 'returned', reason, updated_at: now }).where('id', '=', id).execute();
}

/** Why the conversation may not be sent to now by this agent, or null. */
async function refusal(trx: StoreTransaction, conversationId: number, agentId: number): Promise<string | null> {
  const conversation = await trx
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select(['conversations.state', 'conversations.team_id', 'conversations.assigned_agent_id', 'contacts.group_id'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (conversation === undefined) return 'conversation_not_found';
  const agent = await trx.selectFrom('agents').select(['roles', 'status']).where('id', '=', agentId).executeTakeFirst();
  if (agent?.status !== 'active') return 'agent_not_active';
  const scope = (await teamScopesOf(trx, [agentId])).get(agentId);
  const viewer = { agentId, roles: rolesOf(agent.roles), memberOf: scope?.memberOf ?? [], supervises: scope?.supervises ?? [] };
  // One who may no longer see the conversation does not write to its customer.
  if (!maySeeConversation(viewer, { assignedAgentId: conversation.assigned_agent_id, teamId: conversation.team_id })) return 'conversation_not_visible';
  if (conversation.group_id !== null) return 'group_recipient';
  if (conversation.state === 'resolved') return 'conversation_resolved';
  if (await isConversationBlocked(trx, conversationId)) return 'customer_blocked';
  return null;
}

export function scheduledMessageKind(handOff: (conversationId: number) => void) {
  return jobKind({
    kind: SCHEDULED_MESSAGE,
    payload: z.object({ scheduledId: z.number().int().positive() }).strict(),
    run: async (context) => {
      const { trx, payload, now } = context;
      const row = await heldScheduled(trx, payload.scheduledId);
      // Cancelled, or moved later by an edit (its job is the new one), or gone already.
      if (row?.state !== 'pending' || Number(row.send_at) > now) return;
      const refused = await refusal(trx, row.conversation_id, row.agent_id);
      if (refused !== null) return returned(trx, row.id, refused, now);
      const kind = (JSON.parse(row.content_json) as { kind: string }).kind;
      let asFallback = 0;
      if (kind !== 'template') {
        const window = await trx.selectFrom('conversations').select('last_inbound_at').where('id', '=', row.conversation_id).executeTakeFirstOrThrow();
        if (!isServiceWindowOpen(window.last_inbound_at, now)) {
          if (row.fallback_json === null) return returned(trx, row.id, 'window_closed', now);
          asFallback = 1;
        }
      }
      await trx
        .updateTable('scheduled_messages')
        .set({ state: 'sending', sent_as_fallback: asFallback, updated_at: now })
        .where('id', '=', row.id)
        .where('state', '=', sql.lit('pending'))
        .execute();
      context.afterCommit(() => handOff(row.conversation_id));
    },
  });
}

export const reminderKind = jobKind({
  kind: CONVERSATION_REMINDER,
  payload: z.object({ reminderId: z.number().int().positive() }).strict(),
  run: async ({ trx, payload, now }) => {
    await trx
      .updateTable('reminders')
      .set({ state: 'due', updated_at: now })
      .where('id', '=', payload.reminderId)
      .where('state', '=', sql.lit('pending'))
      .where('remind_at', '<=', now)
      .execute();
  },
});
