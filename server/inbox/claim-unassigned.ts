/**
 * Giving a conversation nobody holds to one agent: the one write shared by routing (team-queue.ts),
 * a claim (handover-moves.ts) and an agent answering an unassigned conversation (send-service.ts).
 * It is taken only if it is still unassigned (another writer may have taken it meanwhile), leaves
 * the queue by the rule of queue-wait.ts, and forgets whom it was taken from (team-queue.ts).
 */
import type { StoreTransaction } from '../store/group-commit.js';
import { queuedAtExpression } from './queue-wait.js';

/** True when `agentId` now holds it; false when someone held it already. `touch`: it also counts as updated (a person's act, not routing's). */
export async function claimUnassigned(trx: StoreTransaction, conversationId: number, agentId: number, now: number, touch = false): Promise<boolean> {
  const taken = await trx
    .updateTable('conversations')
    .set((eb) => ({
      assigned_agent_id: agentId,
      assigned_at: now,
      declined_by_agent_id: null,
      queued_at: queuedAtExpression(eb, { assigned_agent_id: agentId }, now),
      ...(touch ? { updated_at: now } : {}),
    }))
    .where('id', '=', conversationId)
    .where('assigned_agent_id', 'is', null)
    .executeTakeFirst();
  return taken.numUpdatedRows > 0n;
}
