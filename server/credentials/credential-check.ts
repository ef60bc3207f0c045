/**
 * An agent's password and second factor, checked the same way wherever an agent logs in (the
 * desktop login, the approval page): both factors are always checked, against decoys when there
 * is no real account (or none that may log in there), so every answer costs the same time; the
 * password hash runs in a bounded lane (PasswordCheckQueue); a TOTP step or recovery code is
 * spent atomically inside the login's transaction; where the caller counts failures (the
 * device-bound desktop login) they count on the agent and lock it after MAX_AGENT_FAILURES, and
 * on an unknown username alike; every outcome is audited under the caller's event name.
 */
import type { Kysely } from 'kysely';
import type { SecondFactor } from '../../common/api/session.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { Role } from '../../common/api/session.js';
import { rolesOf } from '../store/agent-roles.js';
import type { AgentRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { PASSWORD_CHECK_LANES, PasswordCheckQueue } from './password-check-queue.js';
import type { PasswordCheckLane } from './password-check-queue.js';
import { unknownUserHash, verifyPassword } from './passwords.js';
import { recoveryCodeHash, useRecoveryCode } from './recovery-codes.js';
import { checkTotp, newTotpSecret, sealTotpSecretContext } from './totp.js';
import { UnknownUsernameLocks } from './unknown-username-locks.js';
import type { UnknownUsernameLimits } from './unknown-username-locks.js';

/** Failed logins in a row before the account locks (until an admin unlocks it). */
export const MAX_AGENT_FAILURES = 5;

/** What a locked account is told, wherever it tries (desktop login, unlock). */
export function accountLockedError(): CodedError<'login_locked'> {
  return new CodedError('login_locked', 'Too many failed attempts: this account is locked. Ask an administrator to unlock it.');
}

/** A TOTP secret nobody holds: checked for unknown usernames so they take as long as real ones. */
const DECOY_TOTP_SECRET = newTotpSecret();

export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly secondFactor: SecondFactor;
}

export interface CheckOptions {
  readonly now: number;
  /** The bounded lane the password hash runs in, and the source whose turn it is there (an address, a workstation). */
  readonly lane: PasswordCheckLane;
  readonly source: string;
  /** Roles that may log in here. Any other account is checked against the decoys: its real factors are never tested. All roles when absent. */
  readonly roles?: readonly Role[];
}

/** The costly checks, done before the transaction; `settle` decides inside it. */
export interface CheckedCredentials {
  readonly username: string;
  readonly secondFactorKind: SecondFactor['kind'];
  readonly agent: AgentRow | undefined;
  /** Locked before this attempt: refused whatever the factors say. */
  readonly locked: boolean;
  readonly passwordOk: boolean;
  /** The TOTP step the code belongs to, when it is valid and newer than the last accepted one. */
  readonly totpStep: number | null;
  readonly recoveryHash: string | null;
}

/** Where the attempt is recorded: events are `${event}.ok`, `.failed`, `.locked`, `.recovery_code_used`. */
export interface AttemptAudit {
  readonly event: string;
  readonly actor: string;
  readonly deviceId: number | null;
  readonly sourceAddress: string;
}

type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface SettleOptions<T> {
  readonly audit: AttemptAudit;
  readonly now: number;
  /** Roles that may log in here; others get the same failure as a wrong factor. All roles when absent. */
  readonly roles?: readonly Role[];
  /**
   * Whether a failure counts towards the account's lock (default true). An anonymous surface
   * passes false: its failures are audited, but no stranger can lock an account through it.
   */
  readonly countFailures?: boolean;
  /** Runs in the transaction once the factors are spent: opens the session; its details go into the `.ok` audit row. */
  onSuccess(agent: AgentRow): Promise<{ readonly value: T; readonly details: AuditDetails }>;
  /** Runs in the transaction after the agent's failure was counted (e.g. a workstation's own counter). */
  onFailure?(): Promise<void>;
}

export type SettledAttempt<T> = { readonly ok: true; readonly value: T; readonly agent: AgentRow } | { readonly ok: false };

export class CredentialChecker {
  readonly #db: Kysely<InboxDatabase>;
  readonly #key: ServerKey;
  /** Failures against usernames that do not exist, so they lock just like real ones (and reveal nothing). */
  readonly #unknownUsernames: UnknownUsernameLocks;
  readonly #lanes: Readonly<Record<PasswordCheckLane, PasswordCheckQueue>> = {
    approvalPage: new PasswordCheckQueue(PASSWORD_CHECK_LANES.approvalPage),
    deviceLogin: new PasswordCheckQueue(PASSWORD_CHECK_LANES.deviceLogin),
  };

  constructor(deps: {
    readonly db: Kysely<InboxDatabase>;
    readonly key: ServerKey;
    readonly unknownUsernames?: Partial<Omit<UnknownUsernameLimits, 'failuresToLock'>>;
  }) {
    this.#db = deps.db;
    this.#key = deps.key;
    this.#unknownUsernames = new UnknownUsernameLocks({
      db: deps.db,
      key: deps.key,
      limits: { failuresToLock: MAX_AGENT_FAILURES, countedInMemory: 10_000, lockedInStore: 10_000, ...deps.unknownUsernames },
    });
  }

  /** Whether the lane would take a check from `source` now: a caller may refuse a login as busy before any other work. */
  hasRoomFor(lane: PasswordCheckLane, source: string): boolean {
    return this.#lanes[lane].hasRoom(source);
  }

  /** Rejects with `login_busy` when the lane has no room for another check. */
  async check(credentials: Credentials, options: CheckOptions): Promise<CheckedCredentials> {
    const { username } = credentials;
    const agent = await this.#db.selectFrom('agents').selectAll().where('username', '=', username).executeTakeFirst();
    const eligible = agent !== undefined && (options.roles === undefined || rolesOf(agent.roles).some((role) => options.roles?.includes(role) === true));
    const locked = agent === undefined ? await this.#unknownUsernames.isLocked(username) : agent.locked_at !== null;
    // Both factors are always checked, against decoys when there is nothing real (or nothing that may log in here): equal time.
    const passwordHash = eligible ? agent.password_hash : null;
    const passwordOk = await this.#lanes[options.lane].run(options.source, async () =>
      verifyPassword(credentials.password, passwordHash ?? (await unknownUserHash())),
    );
    return { username, agent, locked, passwordOk, ...(await this.#checkSecondFactor(eligible ? agent : undefined, credentials.secondFactor, options.now)) };
  }

  /**
   * The second factor alone, for an agent whose session is live (resuming a locked workstation):
   * the password was proven at login, so it counts as given; the same spending and lockout apply.
   */
  async checkSecondFactor(agentId: number, secondFactor: SecondFactor, now: number): Promise<CheckedCredentials> {
    const agent = await this.#db.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();
    return {
      username: agent.username,
      agent,
      locked: agent.locked_at !== null,
      passwordOk: true,
      ...(await this.#checkSecondFactor(agent, secondFactor, now)),
    };
  }

  async #checkSecondFactor(
    agent: AgentRow | undefined,
    secondFactor: SecondFactor,
    now: number,
  ): Promise<Pick<CheckedCredentials, 'secondFactorKind' | 'totpStep' | 'recoveryHash'>> {
    if (secondFactor.kind === 'recovery') return { secondFactorKind: 'recovery', totpStep: null, recoveryHash: recoveryCodeHash(this.#key, secondFactor.code) };
    const secret =
      agent?.totp_secret_sealed == null ? DECOY_TOTP_SECRET : this.#key.open(agent.totp_secret_sealed, sealTotpSecretContext(agent.id)).toString('utf8');
    const totp = await checkTotp({ secret, code: secondFactor.code, afterStep: agent?.totp_last_step ?? null, nowMs: now });
    return { secondFactorKind: 'totp', totpStep: totp.step, recoveryHash: null };
  }

  /** Records a refusal because the account was locked before the attempt. */
  async auditLocked(trx: StoreTransaction, checked: CheckedCredentials, audit: AttemptAudit, now: number): Promise<void> {
    await appendAudit(
      trx,
      {
        event: `${audit.event}.locked`,
        outcome: 'refused',
        ...this.#auditBase(audit),
        agentId: checked.agent?.id ?? null,
        details: { username: checked.username },
      },
      now,
    );
  }

  /**
   * Inside the login's transaction: spends the TOTP step (a concurrent login with the same code
   * loses here) or the recovery code, and resets or counts the agent's failures, locking it at
   * the limit. Audits the outcome.
   */
  async settle<T>(trx: StoreTransaction, checked: CheckedCredentials, options: SettleOptions<T>): Promise<SettledAttempt<T>> {
    const { username, passwordOk, totpStep, recoveryHash, secondFactorKind } = checked;
    const { audit, now } = options;
    const base = this.#auditBase(audit);
    const current = checked.agent === undefined ? undefined : await trx.selectFrom('agents').selectAll().where('id', '=', checked.agent.id).executeTakeFirst();
    const roleAllowed = current !== undefined && (options.roles === undefined || rolesOf(current.roles).some((role) => options.roles?.includes(role) === true));
    let factorOk = false;
    let usedRecoveryCode = false;
    if (current !== undefined && current.status === 'active' && passwordOk && roleAllowed && current.locked_at === null) {
      if (totpStep !== null) {
        const taken = await trx
          .updateTable('agents')
          .set({ totp_last_step: totpStep })
          .where('id', '=', current.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', totpStep)]))
          .executeTakeFirst();
        factorOk = Number(taken.numUpdatedRows) === 1;
      } else if (recoveryHash !== null) {
        factorOk = await useRecoveryCode(trx, current.id, recoveryHash, now);
        usedRecoveryCode = factorOk;
      }
    }
    if (current !== undefined && factorOk) {
      await trx.updateTable('agents').set({ failed_logins: 0, updated_at: now }).where('id', '=', current.id).execute();
      const success = await options.onSuccess(current);
      await appendAudit(
        trx,
        { event: `${audit.event}.ok`, outcome: 'ok', ...base, agentId: current.id, details: { username, ...success.details, secondFactor: secondFactorKind } },
        now,
      );
      if (usedRecoveryCode) {
        const left = await trx
          .selectFrom('recovery_codes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('agent_id', '=', current.id)
          .where('used_at', 'is', null)
          .executeTakeFirstOrThrow();
        await appendAudit(
          trx,
          { event: `${audit.event}.recovery_code_used`, outcome: 'ok', ...base, agentId: current.id, details: { username, recoveryCodesLeft: Number(left.n) } },
          now,
        );
      }
      return { ok: true, value: success.value, agent: current };
    }
    // The role comes before the password: a refused role's password was never tested.
    const reason =
      current === undefined
        ? 'unknown_user'
        : current.status !== 'active'
          ? `agent_${current.status}`
          : !roleAllowed
            ? `role_${current.roles.replaceAll(',', '_')}`
            : !passwordOk
              ? 'password'
              : 'second_factor';
    const countFailures = options.countFailures ?? true;
    let justLocked = false;
    if (current === undefined && countFailures) {
      if (await this.#unknownUsernames.countFailure(trx, username, now)) {
        await appendAudit(
          trx,
          {
            event: 'unknown_username.locked',
            outcome: 'ok',
            actor: 'system',
            deviceId: audit.deviceId,
            sourceAddress: audit.sourceAddress,
            details: { username, failures: MAX_AGENT_FAILURES },
          },
          now,
        );
      }
    }
    if (current !== undefined && countFailures) {
      const failures = current.failed_logins + 1;
      justLocked = failures >= MAX_AGENT_FAILURES && current.locked_at === null;
      await trx
        .updateTable('agents')
        .set({ failed_logins: failures, ...(justLocked ? { locked_at: now } : {}), updated_at: now })
        .where('id', '=', current.id)
        .execute();
    }
    await options.onFailure?.();
    await appendAudit(
      trx,
      {
        event: `${audit.event}.failed`,
        outcome: 'refused',
        ...base,
        agentId: current?.id ?? null,
        details: { username, reason, secondFactor: secondFactorKind },
      },
      now,
    );
    if (justLocked) {
      await appendAudit(
        trx,
        {
          event: 'agent.locked',
          outcome: 'ok',
          actor: 'system',
          agentId: current?.id ?? null,
          deviceId: audit.deviceId,
          sourceAddress: audit.sourceAddress,
          details: { username, failures: MAX_AGENT_FAILURES },
        },
        now,
      );
    }
    return { ok: false };
  }

  #auditBase(audit: AttemptAudit) {
    return { actor: audit.actor, deviceId: audit.deviceId, sourceAddress: audit.sourceAddress };
  }
}
