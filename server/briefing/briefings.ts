/**
 * The security briefing as the server holds it (common/briefing/briefing.ts): the version in force
 * (the newest an admin published, or the built-in version 1), each agent's acknowledgement of it,
 * rule by rule, and the gate the inbox routes pass: an agent (the `agent` role) who has not
 * acknowledged the version in force, or whose acknowledgement is older than the safety policy's
 * `briefing.renewAfterDays`, is refused with `briefing_acknowledgement_required` (403). Publishing
 * and acknowledging are each committed with their audit row; a refusal is counted and audited
 * (`safety.briefing.refused`), never with any text.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type {
  AcknowledgeBriefingRequest,
  AgentBriefingView,
  BriefingAcknowledgementsView,
  BriefingVersionView,
  PublishBriefingRequest,
} from '../../common/briefing/briefing.js';
import { BriefingRule, BUILT_IN_BRIEFING, renewalDue } from '../../common/briefing/briefing.js';
import type { Actor } from '../audit/actor.js';
import { commitAudited } from '../audit/audited-commit.js';
import { appendAudit } from '../audit/audit-log.js';
import type { SafetyActions } from '../safety/safety-actions.js';
import { appendSafetyAudit } from '../safety/safety-actions.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import { rolesOf } from '../store/agent-roles.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { BriefingAcknowledgementRequired, BriefingChanged, BriefingRulesMissing, BriefingVersionNotCurrent } from './briefing-errors.js';

const BUILT_IN: BriefingVersionView = { version: 1, rules: [...BUILT_IN_BRIEFING], publishedAt: null, publishedBy: null };
const StoredRules = z.array(BriefingRule);

export interface BriefingsDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly now: () => number;
  /** The safety policy's `briefing.renewAfterDays`, read on each use. */
  readonly renewAfterDays: () => Promise<number>;
  /** Where refusals and acknowledgements are counted (/metrics); the admin CLI, which makes neither, has none. */
  readonly actions?: Pick<SafetyActions, 'counted'>;
  /** Told after each version this process published (the event feed tells every workstation). */
  readonly published?: (version: number) => void;
}

type Reader = Kysely<InboxDatabase> | StoreTransaction;

/** Who must acknowledge the briefing before their inbox opens: those who answer customers. */
export function answersCustomers(roles: readonly string[]): boolean {
  return roles.includes('agent');
}

async function versionInForce(db: Reader): Promise<number> {
  const row = await db.selectFrom('briefing_versions').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row?.version ?? 1;
}

/** The agent's newest acknowledgement (its version and time), if any. */
async function lastAcknowledgement(db: Reader, agentId: number): Promise<{ version: number; at: number } | undefined> {
  const row = await db
    .selectFrom('briefing_acknowledgements')
    .select(['version', 'acknowledged_at'])
    .where('agent_id', '=', agentId)
    .orderBy('version', 'desc')
    .orderBy('acknowledged_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : { version: row.version, at: Number(row.acknowledged_at) };
}

interface Standing {
  readonly required: boolean;
  readonly reason: 'never' | 'new_version' | 'renewal';
  readonly renewBy: number | null;
}

function standingOf(version: number, last: { version: number; at: number } | undefined, renewAfterDays: number, now: number): Standing {
  if (last === undefined) return { required: true, reason: 'never', renewBy: null };
  if (last.version !== version) return { required: true, reason: 'new_version', renewBy: null };
  const renewBy = renewalDue(last.at, renewAfterDays);
  return { required: now >= renewBy, reason: 'renewal', renewBy };
}

export class Briefings {
  readonly #deps: BriefingsDeps;

  constructor(deps: BriefingsDeps) {
    this.#deps = deps;
  }

  /** Just the number of the version in force. */
  versionInForce(): Promise<number> {
    return versionInForce(this.#deps.db);
  }

  /** The version in force, with who published it. */
  async current(): Promise<BriefingVersionView> {
    const row = await this.#deps.db.selectFrom('briefing_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (row === undefined) return BUILT_IN;
    return {
      version: row.version,
      rules: StoredRules.parse(JSON.parse(row.rules_json) as unknown),
      publishedAt: Number(row.published_at),
      publishedBy: row.published_by,
    };
  }

  /** The version in force and where this agent stands with it (never required of one who does not answer customers). */
  async forAgent(principal: Pick<SessionPrincipal, 'agentId' | 'roles'>): Promise<AgentBriefingView> {
    const { agentId } = principal;
    const [briefing, last, renewAfterDays] = await Promise.all([this.current(), lastAcknowledgement(this.#deps.db, agentId), this.#deps.renewAfterDays()]);
    const standing = standingOf(briefing.version, last, renewAfterDays, this.#deps.now());
    return {
      briefing,
      required: standing.required && answersCustomers(principal.roles),
      acknowledgedVersion: last?.version ?? null,
      acknowledgedAt: last?.at ?? null,
      renewBy: standing.renewBy,
      renewAfterDays,
    };
  }

  /**
   * The inbox routes' gate: refuses an agent who must acknowledge the briefing first (counted and
   * audited as `safety.briefing.refused`). Supervisors and admins without the agent role pass.
   */
  async gate(principal: Pick<SessionPrincipal, 'agentId' | 'deviceId' | 'roles'>): Promise<void> {
    if (!answersCustomers(principal.roles)) return;
    const { db, now } = this.#deps;
    const [version, last, renewAfterDays] = await Promise.all([versionInForce(db), lastAcknowledgement(db, principal.agentId), this.#deps.renewAfterDays()]);
    const standing = standingOf(version, last, renewAfterDays, now());
    if (!standing.required) return;
    const entry = { rule: 'briefing', action: 'refused', agentId: principal.agentId, deviceId: principal.deviceId } as const;
    await this.#deps.committer.submit((trx) => appendSafetyAudit(trx, entry, now()));
    this.#deps.actions?.counted(entry);
    throw new BriefingAcknowledgementRequired({ version, reason: standing.reason });
  }

  /** The agent acknowledges every rule of the version in force; audited (`safety.briefing.acknowledged`: the version and how many rules). */
  async acknowledge(
    principal: Pick<SessionPrincipal, 'agentId' | 'username' | 'deviceId' | 'roles'>,
    request: AcknowledgeBriefingRequest,
    sourceAddress: string | null,
  ): Promise<AgentBriefingView> {
    const briefing = await this.current();
    if (briefing.version !== request.version) throw new BriefingVersionNotCurrent({ version: briefing.version });
    const given = new Set(request.ruleIds);
    const missing = briefing.rules.map((rule) => rule.id).filter((id) => !given.has(id));
    const unknown = [...given].filter((id) => !briefing.rules.some((rule) => rule.id === id));
    if (missing.length > 0 || unknown.length > 0) throw new BriefingRulesMissing({ missing, unknown });
    const now = this.#deps.now();
    await this.#deps.committer.submit(async (trx) => {
      // A version published since the read above is not the one acknowledged.
      const inForce = await versionInForce(trx);
      if (inForce !== request.version) throw new BriefingVersionNotCurrent({ version: inForce });
      for (const rule of briefing.rules) {
        await trx
          .insertInto('briefing_acknowledgements')
          .values({ agent_id: principal.agentId, version: request.version, rule_id: rule.id, acknowledged_at: now })
          .onConflict((conflict) => conflict.columns(['agent_id', 'version', 'rule_id']).doUpdateSet({ acknowledged_at: now }))
          .execute();
      }
      await appendAudit(
        trx,
        {
          event: 'safety.briefing.acknowledged',
          outcome: 'ok',
          actor: `agent:${principal.agentId}:${principal.username}`,
          agentId: principal.agentId,
          deviceId: principal.deviceId,
          sourceAddress,
          details: { version: request.version, rules: briefing.rules.length },
        },
        now,
      );
    });
    this.#deps.actions?.counted({ rule: 'briefing', action: 'acknowledged' });
    return this.forAgent(principal);
  }

  /** A new version, whole, if `fromVersion` is the one in force; audited (versions and how many rules, never their text). */
  async publish(request: PublishBriefingRequest, actor: Actor): Promise<BriefingVersionView> {
    const version = await commitAudited(this.#deps.committer, actor, 'briefing.published', this.#deps.now(), async (trx, now) => {
      const inForce = await versionInForce(trx);
      if (inForce !== request.fromVersion) throw new BriefingChanged({ version: inForce });
      const next = inForce + 1;
      const inserted = await trx
        .insertInto('briefing_versions')
        .values({ version: next, rules_json: JSON.stringify(request.rules), published_by: actor.name, published_at: now })
        .onConflict((conflict) => conflict.column('version').doNothing())
        .executeTakeFirst();
      // Another process published this version number since this one read: this one is stale.
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new BriefingChanged({ version: next });
      return { result: next, details: { fromVersion: inForce, version: next, rules: request.rules.length } };
    });
    this.#deps.published?.(version);
    return this.current();
  }

  /** Every agent who answers customers (not disabled), with the newest version they acknowledged and whether it holds now. */
  async acknowledgements(): Promise<BriefingAcknowledgementsView> {
    const { db } = this.#deps;
    const [version, renewAfterDays, agents, acks] = await Promise.all([
      versionInForce(db),
      this.#deps.renewAfterDays(),
      db.selectFrom('agents').select(['id', 'username', 'display_name', 'roles']).where('status', '!=', 'disabled').orderBy('username').execute(),
      db
        .selectFrom('briefing_acknowledgements')
        .select(['agent_id', 'version'])
        .select((eb) => eb.fn.max('acknowledged_at').as('at'))
        .groupBy(['agent_id', 'version'])
        .execute(),
    ]);
    const newest = new Map<number, { version: number; at: number }>();
    for (const ack of acks) {
      const held = newest.get(ack.agent_id);
      if (held === undefined || ack.version > held.version) newest.set(ack.agent_id, { version: ack.version, at: Number(ack.at) });
    }
    const now = this.#deps.now();
    return {
      version,
      renewAfterDays,
      agents: agents
        .filter((agent) => answersCustomers(rolesOf(agent.roles)))
        .map((agent) => {
          const last = newest.get(agent.id);
          return {
            agentId: agent.id,
            username: agent.username,
            displayName: agent.display_name,
            acknowledgedVersion: last?.version ?? null,
            acknowledgedAt: last?.at ?? null,
            current: !standingOf(version, last, renewAfterDays, now).required,
          };
        }),
    };
  }
}
