/**
 * The routing_rules table as the admin and the webhook read and change it: rows in order with
 * their conditions parsed, and positions kept 1..n after every insertion, move and deletion.
 */
import type { Kysely } from 'kysely';
import { RoutingCondition } from '../../common/api/routing.js';
import type { RoutingRuleView } from '../../common/api/routing.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';
import type { InboxDatabase } from '../store/schema.js';
import type { EvaluableRule } from './evaluate-routing.js';

type Reader = Kysely<InboxDatabase> | StoreTransaction;

/** A stored condition; one that no longer reads (never written so, but a store can be edited by hand) never matches. */
function conditionOf(kind: string, json: string): RoutingCondition | null {
  try {
    const parsed = RoutingCondition.safeParse({ ...(JSON.parse(json) as object), kind });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function storedCondition(condition: RoutingCondition): { condition_kind: string; condition_json: string } {
  const { kind, ...parameters } = condition;
  return { condition_kind: kind, condition_json: JSON.stringify(parameters) };
}

export async function listRules(db: Reader, ruleId?: number): Promise<RoutingRuleView[]> {
  let query = db
    .selectFrom('routing_rules')
    .leftJoin('teams', 'teams.id', 'routing_rules.team_id')
    .select([
      'routing_rules.id',
      'routing_rules.position',
      'routing_rules.enabled',
      'routing_rules.condition_kind',
      'routing_rules.condition_json',
      'routing_rules.team_id',
      'routing_rules.created_at',
      'routing_rules.updated_at',
      'teams.name as team_name',
    ])
    .orderBy('routing_rules.position')
    .orderBy('routing_rules.id');
  if (ruleId !== undefined) query = query.where('routing_rules.id', '=', ruleId);
  const rows = await query.execute();
  return rows.flatMap((row) => {
    const condition = conditionOf(row.condition_kind, row.condition_json);
    if (condition === null) return [];
    return [
      {
        id: row.id,
        position: row.position,
        enabled: row.enabled === 1,
        condition,
        teamId: row.team_id,
        teamName: row.team_name ?? null,
        createdAt: Number(row.created_at),
        updatedAt: Number(row.updated_at),
      },
    ];
  });
}

const enabledRules = prepareQuery((db, _v: Record<string, never>) =>
  db
    .selectFrom('routing_rules')
    .leftJoin('teams', 'teams.id', 'routing_rules.team_id')
    .select(['routing_rules.id', 'routing_rules.condition_kind', 'routing_rules.condition_json', 'routing_rules.team_id', 'teams.id as live_team_id'])
    .where('routing_rules.enabled', '=', 1)
    .orderBy('routing_rules.position')
    .orderBy('routing_rules.id'),
);

/** The enabled rules in order, for one decision, and the teams among theirs that still exist. */
export async function rulesToEvaluate(trx: StoreTransaction): Promise<{ rules: EvaluableRule[]; liveTeams: ReadonlySet<number> }> {
  const rows = await enabledRules.all(trx, {});
  const liveTeams = new Set(rows.flatMap((row) => (row.live_team_id === null ? [] : [row.live_team_id])));
  const rules = rows.flatMap((row) => {
    const condition = conditionOf(row.condition_kind, row.condition_json);
    return condition === null ? [] : [{ id: row.id, enabled: true, condition, teamId: row.team_id }];
  });
  return { rules, liveTeams };
}

/** Gives the rules positions 1..n in `order` (rule ids), touching only the rows whose position changes. */
export async function renumber(trx: StoreTransaction, order: readonly number[]): Promise<void> {
  const current = new Map((await trx.selectFrom('routing_rules').select(['id', 'position']).execute()).map((row) => [row.id, row.position]));
  for (const [index, id] of order.entries()) {
    if (current.get(id) !== index + 1)
      await trx
        .updateTable('routing_rules')
        .set({ position: index + 1 })
        .where('id', '=', id)
        .execute();
  }
}

/** The rule ids in the order they are tried. */
export async function ruleOrder(trx: StoreTransaction): Promise<number[]> {
  const rows = await trx.selectFrom('routing_rules').select('id').orderBy('position').orderBy('id').execute();
  return rows.map((row) => row.id);
}
