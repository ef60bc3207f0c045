/**
 * The safety policy as the server holds it (common/safety/safety-policy.ts): read on every use
 * of a rule, cheaply (one row by its key, shared by every read that asks while it is under way,
 * and parsed again only when its version moved), so a change made here or by the admin CLI in
 * another process applies to the next message. A change is checked strictly, refused with
 * `safety_policy_changed` (409) when it was made from a version older than the stored one, and
 * committed with its audit row, which names the sections that changed and never their values.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AdminSafetyPolicyView, ChangeSafetyPolicyRequest, SafetyPolicy, SafetyPolicyView } from '../../common/safety/safety-policy.js';
import { changedSections, checkedSafetyPolicy, DEFAULT_SAFETY_POLICY, readStoredSafetyPolicy } from '../../common/safety/safety-policy.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Actor } from '../audit/actor.js';
import { commitAudited } from '../audit/audited-commit.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

const ROW_ID = 1;

export class SafetyPolicyChanged extends CodedError<'safety_policy_changed'> {
  constructor(version: number) {
    super(
      'safety_policy_changed',
      `The safety policy was changed by someone else meanwhile (it is at version ${version} now): read it again, then make your change on it.`,
      { version },
    );
    this.name = 'SafetyPolicyChanged';
  }
}

export interface SafetyPoliciesDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly log: Logger;
  readonly now: () => number;
  /** Told after each change this process committed (the event feed tells every workstation). */
  readonly changed?: (version: number) => void;
}

interface Held extends AdminSafetyPolicyView {
  readonly json: string | null;
}

const NEVER_CHANGED: Held = { version: 0, policy: DEFAULT_SAFETY_POLICY, changedAt: null, changedBy: null, json: null };

export class SafetyPolicies {
  readonly #deps: SafetyPoliciesDeps;
  #held: Held = NEVER_CHANGED;
  #reading: Promise<Held> | undefined;

  constructor(deps: SafetyPoliciesDeps) {
    this.#deps = deps;
  }

  /** The policy in force now, with who changed it last (the admin's view). */
  async current(): Promise<AdminSafetyPolicyView> {
    const { json: _json, ...view } = await this.#read();
    return view;
  }

  /** The policy and its version, as every signed-in agent's workstation gets it. */
  async forAgents(): Promise<SafetyPolicyView> {
    const { version, policy } = await this.#read();
    return { version, policy };
  }

  /** Just the policy: what a rule reads on each use. */
  async policy(): Promise<SafetyPolicy> {
    return (await this.#read()).policy;
  }

  /** Replaces the policy, checked strictly, if `request.version` is the stored one; audited; answers the stored result. */
  async change(request: ChangeSafetyPolicyRequest, actor: Actor): Promise<AdminSafetyPolicyView> {
    const policy = checkedSafetyPolicy(request.policy);
    const version = await commitAudited(this.#deps.committer, actor, 'safety.policy_changed', this.#deps.now(), async (trx, now) => {
      const row = await trx.selectFrom('safety_policy').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
      const storedVersion = row?.version ?? 0;
      if (storedVersion !== request.version) throw new SafetyPolicyChanged(storedVersion);
      const before = row === undefined ? DEFAULT_SAFETY_POLICY : readStoredSafetyPolicy(JSON.parse(row.policy_json) as unknown).policy;
      const next = storedVersion + 1;
      const values = { version: next, policy_json: JSON.stringify(policy), changed_by: actor.name, changed_at: now };
      if (row === undefined) {
        // Another process may have stored the first version since this one read: then it is stale.
        const inserted = await trx
          .insertInto('safety_policy')
          .values({ id: ROW_ID, ...values })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new SafetyPolicyChanged(next);
      } else {
        const updated = await trx.updateTable('safety_policy').set(values).where('id', '=', ROW_ID).where('version', '=', storedVersion).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new SafetyPolicyChanged(storedVersion + 1);
      }
      const sections = changedSections(before, policy);
      return { result: next, details: { fromVersion: storedVersion, version: next, sections: sections.length === 0 ? '' : sections.join(',') } };
    });
    this.#deps.changed?.(version);
    return this.current();
  }

  /** One read of the row at a time, shared; the parsed policy is kept while its text stays the same. */
  #read(): Promise<Held> {
    this.#reading ??= this.#load().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #load(): Promise<Held> {
    const row = await this.#deps.db.selectFrom('safety_policy').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
    if (row === undefined) return (this.#held = NEVER_CHANGED);
    const held = this.#held;
    if (held.json === row.policy_json && held.version === row.version && held.changedAt === Number(row.changed_at)) return held;
    let stored: unknown;
    try {
      stored = JSON.parse(row.policy_json);
    } catch {
      stored = undefined;
    }
    const { policy, problems } = readStoredSafetyPolicy(stored);
    if (problems.length > 0)
      this.#deps.log.warn({ version: row.version, problems }, 'stored safety policy partly unreadable: those parts are at their defaults');
    this.#held = { version: row.version, policy, changedAt: Number(row.changed_at), changedBy: row.changed_by, json: row.policy_json };
    return this.#held;
  }
}
