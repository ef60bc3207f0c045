/**
 * What admins do with agents: create one (with a one-time enrollment code, shown once), list,
 * disable (every session ends at once), unlock after too many failed logins, reset the
 * authenticator (a new enrollment), and issue new recovery codes.
 */
import type { Kysely } from 'kysely';
import type { AgentView, CreateAgentRequest, EnrollmentIssued } from '../../common/api/admin.js';
import type { Role } from '../../common/api/session.js';
import { joinTeamsOnCreation } from '../teams/team-membership.js';
import { rolesOf, storedRoles } from '../store/agent-roles.js';
import { ENROLLMENT_CODE_LENGTH, formatCode } from '../../common/devices/pairing-code.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../audit/actor.js';
import { randomCode } from '../credentials/random-code.js';
import { replaceRecoveryCodes } from '../credentials/recovery-codes.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import type { ServerKey } from '../secrets/server-key.js';
import { endSessions } from '../sessions/session-store.js';
import type { SessionEndReason } from '../sessions/session-store.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { AgentRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';

export const ENROLLMENT_TTL_MS = 72 * 60 * 60 * 1000;

export interface AgentAdminDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly security: SecurityNotifier;
  readonly now: () => number;
}

export class AgentAdminError extends CodedError {}

export function agentView(agent: AgentRow): AgentView {
  return {
    id: agent.id,
    username: agent.username,
    displayName: agent.display_name,
    roles: rolesOf(agent.roles),
    status: agent.status,
    locked: agent.locked_at !== null,
    enrollmentExpiresAt: agent.status === 'enrolling' ? agent.enrollment_expires_at : null,
    createdAt: agent.created_at,
  };
}

export class AgentAdmin {
  readonly #deps: AgentAdminDeps;

  constructor(deps: AgentAdminDeps) {
    this.#deps = deps;
  }

  async list(): Promise<AgentView[]> {
    const agents = await this.#deps.db.selectFrom('agents').selectAll().orderBy('username').execute();
    return agents.map(agentView);
  }

  async create(request: CreateAgentRequest, actor: Actor): Promise<EnrollmentIssued> {
    const now = this.#deps.now();
    const code = randomCode(ENROLLMENT_CODE_LENGTH);
    const expiresAt = now + ENROLLMENT_TTL_MS;
    const agent = await this.#deps.committer.submit(async (trx) => {
      const taken = await trx.selectFrom('agents').select('id').where('username', '=', request.username).executeTakeFirst();
      if (taken !== undefined) throw new AgentAdminError('username_taken', `The username ${request.username} is already taken.`);
      const row = await trx
        .insertInto('agents')
        .values({
          username: request.username,
          display_name: request.displayName,
          roles: storedRoles(request.roles),
          status: 'enrolling',
          password_hash: null,
          totp_secret_sealed: null,
          totp_last_step: null,
          enrollment_code_hash: this.#deps.key.mac('enrollment', code),
          enrollment_expires_at: expiresAt,
          pending_password_hash: null,
          pending_totp_secret_sealed: null,
          pending_enrollment_id: null,
          pending_enrollment_device_id: null,
          pending_enrollment_expires_at: null,
          locked_at: null,
          disabled_at: null,
          created_by: actor.name,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const teams = await joinTeamsOnCreation(trx, row.id, request.roles, request.teamIds, now);
      await appendAudit(
        trx,
        {
          event: 'agent.created',
          outcome: 'ok',
          actor: actor.name,
          agentId: actor.agentId,
          sourceAddress: actor.sourceAddress,
          details: { subjectAgentId: row.id, username: row.username, roles: row.roles, teams: teams.join(',') },
        },
        now,
      );
      return row;
    });
    return { agent: agentView(agent), enrollmentCode: formatCode(code), enrollmentExpiresAt: expiresAt };
  }

  async disable(agentId: number, actor: Actor): Promise<AgentView> {
    return this.#change(
      agentId,
      actor,
      'agent.disabled',
      async (trx, agent, now) => {
        if (agent.status === 'disabled') throw new AgentAdminError('agent_already_disabled', `${agent.username} is already disabled.`);
        if (agent.id === actor.agentId) throw new AgentAdminError('cannot_disable_self', 'You cannot disable your own account.');
        await trx
          .updateTable('agents')
          .set({ status: 'disabled', disabled_at: now, pending_enrollment_id: null, updated_at: now })
          .where('id', '=', agent.id)
          .execute();
        return endSessions(trx, { agentId: agent.id }, 'agent_disabled', now);
      },
      'agent_disabled',
    );
  }

  /** The agent holds exactly these roles from now on; what they may read follows at once. */
  async setRoles(agentId: number, roles: readonly Role[], actor: Actor): Promise<AgentView> {
    const view = await this.#change(
      agentId,
      actor,
      'agent.roles_changed',
      async (trx, agent, now) => {
        if (agent.id === actor.agentId && !roles.includes('admin'))
          throw new AgentAdminError('cannot_drop_own_admin', 'You cannot take the admin role from your own account: ask another administrator.');
        await trx
          .updateTable('agents')
          .set({ roles: storedRoles(roles), updated_at: now })
          .where('id', '=', agent.id)
          .execute();
        return [];
      },
      undefined,
      { roles: storedRoles(roles) },
    );
    this.#deps.security.viewsChanged([agentId]);
    return view;
  }

  async unlock(agentId: number, actor: Actor): Promise<AgentView> {
    return this.#change(agentId, actor, 'agent.unlocked', async (trx, agent, now) => {
      if (agent.locked_at === null && agent.failed_logins === 0) throw new AgentAdminError('agent_not_locked', `${agent.username} is not locked.`);
      await trx.updateTable('agents').set({ locked_at: null, failed_logins: 0, updated_at: now }).where('id', '=', agent.id).execute();
      return [];
    });
  }

  /** The agent enrolls again (new password and authenticator) with the new code; their sessions end. */
  async resetTotp(agentId: number, actor: Actor): Promise<EnrollmentIssued> {
    const code = randomCode(ENROLLMENT_CODE_LENGTH);
    const now = this.#deps.now();
    const expiresAt = now + ENROLLMENT_TTL_MS;
    const view = await this.#change(
      agentId,
      actor,
      'agent.totp_reset',
      async (trx, agent) => {
        if (agent.status === 'disabled') throw new AgentAdminError('agent_disabled', `${agent.username} is disabled; create a new agent instead.`);
        await trx
          .updateTable('agents')
          .set({
            status: 'enrolling',
            totp_secret_sealed: null,
            totp_last_step: null,
            enrollment_code_hash: this.#deps.key.mac('enrollment', code),
            enrollment_expires_at: expiresAt,
            enrollment_failures: 0,
            pending_enrollment_id: null,
            pending_password_hash: null,
            pending_totp_secret_sealed: null,
            locked_at: null,
            failed_logins: 0,
            updated_at: now,
          })
          .where('id', '=', agent.id)
          .execute();
        await trx.deleteFrom('recovery_codes').where('agent_id', '=', agent.id).execute();
        return endSessions(trx, { agentId: agent.id }, 'totp_reset', now);
      },
      'totp_reset',
    );
    return { agent: view, enrollmentCode: formatCode(code), enrollmentExpiresAt: expiresAt };
  }

  async regenerateRecoveryCodes(agentId: number, actor: Actor): Promise<{ agent: AgentView; recoveryCodes: string[] }> {
    let codes: string[] = [];
    const view = await this.#change(agentId, actor, 'agent.recovery_codes_regenerated', async (trx, agent, now) => {
      if (agent.status !== 'active')
        throw new AgentAdminError('agent_not_active', `${agent.username} has not finished enrolling: recovery codes come with enrollment.`);
      codes = await replaceRecoveryCodes(trx, this.#deps.key, agent.id, now);
      return [];
    });
    return { agent: view, recoveryCodes: codes };
  }

  async #change(
    agentId: number,
    actor: Actor,
    event: string,
    apply: (trx: StoreTransaction, agent: AgentRow, now: number) => Promise<number[]>,
    endReason?: SessionEndReason,
    extraDetails: Readonly<Record<string, string>> = {},
  ): Promise<AgentView> {
    const now = this.#deps.now();
    const { ended, agent } = await this.#deps.committer.submit(async (trx) => {
      const before = await trx.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirst();
      if (before === undefined) throw new AgentAdminError('agent_not_found', `There is no agent ${agentId}.`);
      const endedSessions = await apply(trx, before, now);
      await appendAudit(
        trx,
        {
          event,
          outcome: 'ok',
          actor: actor.name,
          agentId: actor.agentId,
          sourceAddress: actor.sourceAddress,
          details: { subjectAgentId: before.id, username: before.username, sessionsEnded: endedSessions.length, ...extraDetails },
        },
        now,
      );
      const after = await trx.selectFrom('agents').selectAll().where('id', '=', agentId).executeTakeFirstOrThrow();
      return { ended: endedSessions, agent: after };
    });
    if (ended.length > 0 && endReason !== undefined) this.#deps.security.sessionsEnded(ended, endReason);
    return agentView(agent);
  }
}
