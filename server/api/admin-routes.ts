/** The handlers of the client API's admin routes (common/api/admin-endpoints.ts): devices and the allowlist, pairing decisions, agents, the audit log. */
import type { ADMIN_ENDPOINTS } from '../../common/api/admin-endpoints.js';
import type { AgentAdmin } from '../agents/agent-admin.js';
import { auditPage, listAudit, verifyAndRecordAuditChain } from '../audit/audit-log.js';
import { agentActor } from '../audit/actor.js';
import type { DeviceAdmin } from '../devices/device-admin.js';
import type { NumberAdmin } from '../numbers/number-admin.js';
import { parseAllowlistCsv, pendingPairingView } from '../devices/device-admin.js';
import type { PairingService } from '../devices/pairing-service.js';
import type { SessionAdmin } from '../sessions/session-admin.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { Kysely } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';
import type { TeamAdmin } from '../teams/team-admin.js';
import type { Handlers } from './api-route.js';
import type { FastifyRequest } from 'fastify';

export interface AdminRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly devices: DeviceAdmin;
  readonly pairing: PairingService;
  readonly agents: AgentAdmin;
  readonly sessions: SessionAdmin;
  readonly teams: TeamAdmin;
  readonly numbers: NumberAdmin;
  readonly now: () => number;
}

const actorOf = (principal: SessionPrincipal, request: FastifyRequest) => agentActor(principal, request.ip);

export function adminHandlers(deps: AdminRouteDeps): Handlers<typeof ADMIN_ENDPOINTS> {
  return {
    listNumbers: () => deps.numbers.list(),
    addNumber: async ({ body, principal, request }) => {
      await deps.numbers.add(body, actorOf(principal, request));
      return deps.numbers.get(body.phoneNumberId);
    },
    rotateNumberToken: async ({ params, body, principal, request }) => {
      await deps.numbers.rotateToken(params.phoneNumberId, body.accessToken, actorOf(principal, request));
      return deps.numbers.get(params.phoneNumberId);
    },
    removeNumber: async ({ params, query, principal, request }) => {
      const movedTo = query.moveConversationsTo ?? null;
      const removal = movedTo === null ? { kind: 'refuse' as const } : { kind: 'move_to' as const, phoneNumberId: movedTo };
      const { moved } = await deps.numbers.remove(params.phoneNumberId, removal, actorOf(principal, request));
      return { phoneNumberId: params.phoneNumberId, movedConversations: moved, movedTo };
    },
    setNumberTeam: async ({ params, body, principal, request }) => {
      await deps.numbers.setTeam(params.phoneNumberId, body.teamId, actorOf(principal, request));
      return deps.numbers.get(params.phoneNumberId);
    },
    listTeams: () => deps.teams.list(),
    createTeam: ({ body, principal, request }) => deps.teams.create(body, actorOf(principal, request)),
    updateTeam: ({ params, body, principal, request }) => deps.teams.update(params.id, body, actorOf(principal, request)),
    removeTeam: ({ params, query, principal, request }) => deps.teams.remove(params.id, query, actorOf(principal, request)),
    addTeamMember: ({ params, body, principal, request }) => deps.teams.addMember(params.id, body, actorOf(principal, request)),
    setTeamMemberCapacity: ({ params, body, principal, request }) =>
      deps.teams.setCapacity(params.id, params.agentId, body.capacity, actorOf(principal, request)),
    removeTeamMember: ({ params, principal, request }) => deps.teams.removeMember(params.id, params.agentId, actorOf(principal, request)),
    addTeamSupervisor: ({ params, body, principal, request }) => deps.teams.addSupervisor(params.id, body.agentId, actorOf(principal, request)),
    removeTeamSupervisor: ({ params, principal, request }) => deps.teams.removeSupervisor(params.id, params.agentId, actorOf(principal, request)),
    listDevices: () => deps.devices.list(),
    allowMachine: ({ body, principal, request }) => deps.devices.allow([body], actorOf(principal, request), 'single'),
    importAllowlist: ({ body, principal, request }) => deps.devices.allow(parseAllowlistCsv(body.csv), actorOf(principal, request), 'csv'),
    lookupPairing: async ({ query }) => {
      const { pairing, device } = await deps.pairing.findByCode(query.code);
      return { device: await deps.devices.get(device.id), pairing: pendingPairingView(pairing) };
    },
    approvePairing: async ({ body, principal, request }) => {
      const device = await deps.pairing.approve(body.code, actorOf(principal, request), { refuseKeyReplacement: !body.replaceKey });
      return deps.devices.get(device.id);
    },
    rejectPairing: async ({ body, principal, request }) => {
      const device = await deps.pairing.reject(body.code, actorOf(principal, request));
      return deps.devices.get(device.id);
    },
    revokeDevice: ({ params, body, principal, request }) => deps.devices.revoke(params.id, body.reason, actorOf(principal, request)),
    unrevokeDevice: ({ params, principal, request }) => deps.devices.unrevoke(params.id, actorOf(principal, request)),
    listAgents: async () => ({ agents: await deps.agents.list() }),
    createAgent: ({ body, principal, request }) => deps.agents.create(body, actorOf(principal, request)),
    disableAgent: ({ params, principal, request }) => deps.agents.disable(params.id, actorOf(principal, request)),
    setAgentRoles: ({ params, body, principal, request }) => deps.agents.setRoles(params.id, body.roles, actorOf(principal, request)),
    unlockAgent: ({ params, principal, request }) => deps.agents.unlock(params.id, actorOf(principal, request)),
    resetTotp: ({ params, principal, request }) => deps.agents.resetTotp(params.id, actorOf(principal, request)),
    regenerateRecoveryCodes: ({ params, principal, request }) => deps.agents.regenerateRecoveryCodes(params.id, actorOf(principal, request)),
    listSessions: async ({ principal }) => ({ sessions: await deps.sessions.list(principal.sessionId) }),
    endSession: ({ params, principal, request }) => deps.sessions.end(params.id, actorOf(principal, request), principal.sessionId),
    listAudit: async ({ query }) => auditPage(await listAudit(deps.db, query), query.limit),
    verifyAudit: ({ principal, request }) => verifyAndRecordAuditChain(deps.db, deps.committer, actorOf(principal, request), deps.now()),
  };
}
