import type { Kysely } from 'kysely';

/**
 * Who a conversation waiting in its team's queue was taken from (issue 12): the agent who
 * unassigned it, or from whom a supervisor took it into a queue. Routing passes them over for
 * that conversation (server/assignment/team-queue.ts), so unassigning is not undone by the fill
 * the same transaction makes; they may still claim it. Null: nobody to pass over (it was never
 * given up, or someone holds it now). One nullable column: additive and portable (docs/store.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('declined_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .execute();
}
