/** The admin routes of the client API, as main calls them for the admin screens (devices, numbers, agents, teams, routing, sessions, audit). */
import type {
  AgentView,
  AuditListQuery,
  AuditPage,
  AuditVerification,
  CreateAgentInput,
  DeviceList,
  DeviceView,
  EnrollmentIssued,
  PairingForApproval,
  SessionList,
  SessionView,
} from '../../common/api/admin.js';
import type { AddNumberRequest, BusinessNumberList, BusinessNumberView, NumberRemoved } from '../../common/api/business-numbers.js';
import { CLIENT_API } from '../../common/api/client-api.js';
import type { Role } from '../../common/api/session.js';
import type { CreateRoutingRuleRequest, RoutingRuleList, RoutingRuleRemoved, RoutingRuleView, UpdateRoutingRuleRequest } from '../../common/api/routing.js';
import type { CreateTeamRequest, TeamList, TeamRemoved, TeamView, UpdateTeamRequest } from '../../common/api/teams.js';
import { callJson } from './endpoint-request.js';
import type { HttpsTarget } from './https-json.js';

const API = CLIENT_API;

export type TeamMemberChange =
  | { readonly kind: 'add'; readonly agentId: number; readonly capacity: number }
  | { readonly kind: 'capacity'; readonly agentId: number; readonly capacity: number }
  | { readonly kind: 'remove'; readonly agentId: number };

export class AdminApi {
  readonly target: HttpsTarget;

  constructor(target: HttpsTarget) {
    this.target = target;
  }

  devices(token: string): Promise<DeviceList> {
    return callJson(this.target, API.listDevices, { token });
  }

  lookupPairing(token: string, code: string): Promise<PairingForApproval> {
    return callJson(this.target, API.lookupPairing, { token, query: { code } });
  }

  approvePairing(token: string, code: string, replaceKey: boolean): Promise<DeviceView> {
    return callJson(this.target, API.approvePairing, { token, body: { code, replaceKey } });
  }

  rejectPairing(token: string, code: string): Promise<DeviceView> {
    return callJson(this.target, API.rejectPairing, { token, body: { code } });
  }

  revokeDevice(token: string, deviceId: number, reason: string): Promise<DeviceView> {
    return callJson(this.target, API.revokeDevice, { token, params: { id: deviceId }, body: { reason } });
  }

  numbers(token: string): Promise<BusinessNumberList> {
    return callJson(this.target, API.listNumbers, { token });
  }

  addNumber(token: string, number: AddNumberRequest): Promise<BusinessNumberView> {
    return callJson(this.target, API.addNumber, { token, body: number });
  }

  rotateNumberToken(token: string, phoneNumberId: string, accessToken: string): Promise<BusinessNumberView> {
    return callJson(this.target, API.rotateNumberToken, { token, params: { phoneNumberId }, body: { accessToken } });
  }

  removeNumber(token: string, phoneNumberId: string, moveConversationsTo: string | undefined): Promise<NumberRemoved> {
    return callJson(this.target, API.removeNumber, { token, params: { phoneNumberId }, query: { moveConversationsTo } });
  }

  agents(token: string): Promise<{ agents: AgentView[] }> {
    return callJson(this.target, API.listAgents, { token });
  }

  createAgent(token: string, input: CreateAgentInput): Promise<EnrollmentIssued> {
    return callJson(this.target, API.createAgent, { token, body: input });
  }

  setAgentRoles(token: string, agentId: number, roles: readonly Role[]): Promise<AgentView> {
    return callJson(this.target, API.setAgentRoles, { token, params: { id: agentId }, body: { roles: [...roles] } });
  }

  teams(token: string): Promise<TeamList> {
    return callJson(this.target, API.listTeams, { token });
  }

  createTeam(token: string, team: CreateTeamRequest): Promise<TeamView> {
    return callJson(this.target, API.createTeam, { token, body: team });
  }

  updateTeam(token: string, teamId: number, change: UpdateTeamRequest): Promise<TeamView> {
    return callJson(this.target, API.updateTeam, { token, params: { id: teamId }, body: change });
  }

  removeTeam(token: string, teamId: number, moveConversationsTo: number | undefined): Promise<TeamRemoved> {
    return callJson(this.target, API.removeTeam, { token, params: { id: teamId }, query: { moveConversationsTo } });
  }

  /** Adds a member, sets a member's capacity, or takes one out. */
  teamMember(token: string, teamId: number, change: TeamMemberChange): Promise<TeamView> {
    if (change.kind === 'add')
      return callJson(this.target, API.addTeamMember, { token, params: { id: teamId }, body: { agentId: change.agentId, capacity: change.capacity } });
    if (change.kind === 'capacity')
      return callJson(this.target, API.setTeamMemberCapacity, { token, params: { id: teamId, agentId: change.agentId }, body: { capacity: change.capacity } });
    return callJson(this.target, API.removeTeamMember, { token, params: { id: teamId, agentId: change.agentId } });
  }

  teamSupervisor(token: string, teamId: number, agentId: number, supervises: boolean): Promise<TeamView> {
    return supervises
      ? callJson(this.target, API.addTeamSupervisor, { token, params: { id: teamId }, body: { agentId } })
      : callJson(this.target, API.removeTeamSupervisor, { token, params: { id: teamId, agentId } });
  }

  setNumberTeam(token: string, phoneNumberId: string, teamId: number | null): Promise<BusinessNumberView> {
    return callJson(this.target, API.setNumberTeam, { token, params: { phoneNumberId }, body: { teamId } });
  }

  routingRules(token: string): Promise<RoutingRuleList> {
    return callJson(this.target, API.listRoutingRules, { token });
  }

  createRoutingRule(token: string, rule: CreateRoutingRuleRequest): Promise<RoutingRuleView> {
    return callJson(this.target, API.createRoutingRule, { token, body: rule });
  }

  updateRoutingRule(token: string, ruleId: number, change: UpdateRoutingRuleRequest): Promise<RoutingRuleView> {
    return callJson(this.target, API.updateRoutingRule, { token, params: { id: ruleId }, body: change });
  }

  moveRoutingRule(token: string, ruleId: number, position: number): Promise<RoutingRuleList> {
    return callJson(this.target, API.moveRoutingRule, { token, params: { id: ruleId }, body: { position } });
  }

  removeRoutingRule(token: string, ruleId: number): Promise<RoutingRuleRemoved> {
    return callJson(this.target, API.removeRoutingRule, { token, params: { id: ruleId } });
  }

  agentAction(token: string, agentId: number, action: 'disable' | 'unlock'): Promise<AgentView> {
    return callJson(this.target, action === 'disable' ? API.disableAgent : API.unlockAgent, { token, params: { id: agentId } });
  }

  sessions(token: string): Promise<SessionList> {
    return callJson(this.target, API.listSessions, { token });
  }

  endSession(token: string, sessionId: number): Promise<SessionView> {
    return callJson(this.target, API.endSession, { token, params: { id: sessionId } });
  }

  audit(token: string, query: Partial<AuditListQuery>): Promise<AuditPage> {
    return callJson(this.target, API.listAudit, { token, query: { ...query, limit: query.limit ?? 100 } });
  }

  verifyAudit(token: string): Promise<AuditVerification> {
    return callJson(this.target, API.verifyAudit, { token });
  }
}
