/**
 * An admin's acts on routing rules (the admin routes and the admin CLI): each in one transaction
 * with its audit row; a bad condition, an unknown team, number or rule is refused before anything
 * changes. The webhook reads the rules in its own transaction, so a change applies to the next
 * new conversation, in this process or another.
 */
import type { Kysely } from 'kysely';
import { RoutingCondition } from '../../common/api/routing.js';
import type { CreateRoutingRuleRequest, RoutingRuleList, RoutingRuleRemoved, RoutingRuleView, UpdateRoutingRuleRequest } from '../../common/api/routing.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { commitAudited } from '../audit/audited-commit.js';
import type { AuditDetails } from '../audit/audited-commit.js';
import type { Actor } from '../audit/actor.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { listRules, renumber, ruleOrder, storedCondition } from './routing-rule-rows.js';

export class RoutingError extends CodedError {}

export interface RoutingAdminDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly now: () => number;
}

async function refuseUnknownTeam(trx: StoreTransaction, teamId: number): Promise<void> {
  const team = await trx.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  if (team === undefined) throw new RoutingError('team_not_found', `There is no team ${teamId}: a rule must send to a team that exists (see teams list).`);
}

/** Checks a condition again here, whoever calls (the routes parsed it already; the CLI and tests may not have). */
async function checkedCondition(trx: StoreTransaction, condition: RoutingCondition): Promise<RoutingCondition> {
  const parsed = RoutingCondition.safeParse(condition);
  if (!parsed.success)
    throw new RoutingError('routing_condition_invalid', `The rule’s condition is not valid: ${parsed.error.issues[0]?.message ?? 'unreadable'}.`);
  if (parsed.data.kind === 'number') {
    const number = await trx
      .selectFrom('business_numbers')
      .select('phone_number_id')
      .where('phone_number_id', '=', parsed.data.phoneNumberId)
      .executeTakeFirst();
    if (number === undefined)
      throw new RoutingError('number_unknown', `There is no configured number ${parsed.data.phoneNumberId}: "numbers list" shows them.`);
  }
  return parsed.data;
}

async function ruleRow(trx: StoreTransaction, ruleId: number) {
  const row = await trx.selectFrom('routing_rules').selectAll().where('id', '=', ruleId).executeTakeFirst();
  if (row === undefined) throw new RoutingError('routing_rule_not_found', `There is no routing rule ${ruleId} (see routing list).`);
  return row;
}

export class RoutingAdmin {
  readonly #deps: RoutingAdminDeps;

  constructor(deps: RoutingAdminDeps) {
    this.#deps = deps;
  }

  async list(): Promise<RoutingRuleList> {
    return { rules: await listRules(this.#deps.db) };
  }

  async get(ruleId: number): Promise<RoutingRuleView> {
    const rule = (await listRules(this.#deps.db, ruleId))[0];
    if (rule === undefined) throw new RoutingError('routing_rule_not_found', `There is no routing rule ${ruleId} (see routing list).`);
    return rule;
  }

  async create(request: CreateRoutingRuleRequest, actor: Actor): Promise<RoutingRuleView> {
    const id = await commitAudited(this.#deps.committer, actor, 'routing.rule_created', this.#deps.now(), async (trx, now) => {
      const condition = await checkedCondition(trx, request.condition);
      await refuseUnknownTeam(trx, request.teamId);
      const order = await ruleOrder(trx);
      const row = await trx
        .insertInto('routing_rules')
        .values({
          position: order.length + 1,
          enabled: request.enabled === false ? 0 : 1,
          ...storedCondition(condition),
          team_id: request.teamId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const at = Math.min(request.position ?? order.length + 1, order.length + 1) - 1;
      await renumber(trx, [...order.slice(0, at), row.id, ...order.slice(at)]);
      return { result: row.id, details: { ruleId: row.id, kind: condition.kind, teamId: request.teamId, position: at + 1 } };
    });
    return this.get(id);
  }

  async update(ruleId: number, change: UpdateRoutingRuleRequest, actor: Actor): Promise<RoutingRuleView> {
    await commitAudited(this.#deps.committer, actor, 'routing.rule_updated', this.#deps.now(), async (trx, now) => {
      const before = await ruleRow(trx, ruleId);
      const condition = change.condition === undefined ? undefined : await checkedCondition(trx, change.condition);
      if (change.teamId !== undefined) await refuseUnknownTeam(trx, change.teamId);
      await trx
        .updateTable('routing_rules')
        .set({
          ...(condition === undefined ? {} : storedCondition(condition)),
          ...(change.teamId === undefined ? {} : { team_id: change.teamId }),
          ...(change.enabled === undefined ? {} : { enabled: change.enabled ? 1 : 0 }),
          updated_at: now,
        })
        .where('id', '=', ruleId)
        .execute();
      const details: AuditDetails = { ruleId, kind: condition?.kind ?? before.condition_kind, teamId: change.teamId ?? before.team_id };
      if (change.enabled !== undefined) details.enabled = change.enabled;
      return { result: ruleId, details };
    });
    return this.get(ruleId);
  }

  async move(ruleId: number, position: number, actor: Actor): Promise<RoutingRuleList> {
    await commitAudited(this.#deps.committer, actor, 'routing.rule_moved', this.#deps.now(), async (trx) => {
      const before = await ruleRow(trx, ruleId);
      const others = (await ruleOrder(trx)).filter((id) => id !== ruleId);
      const at = Math.min(position, others.length + 1) - 1;
      await renumber(trx, [...others.slice(0, at), ruleId, ...others.slice(at)]);
      return { result: ruleId, details: { ruleId, from: before.position, to: at + 1 } };
    });
    return this.list();
  }

  async remove(ruleId: number, actor: Actor): Promise<RoutingRuleRemoved> {
    await commitAudited(this.#deps.committer, actor, 'routing.rule_removed', this.#deps.now(), async (trx) => {
      const before = await ruleRow(trx, ruleId);
      await trx.deleteFrom('routing_rules').where('id', '=', ruleId).execute();
      await renumber(trx, await ruleOrder(trx));
      return { result: ruleId, details: { ruleId, kind: before.condition_kind, teamId: before.team_id, position: before.position } };
    });
    return { removed: ruleId };
  }
}
