/** The admin screens' calls: workstations and pairings, agents, sessions, the audit log, business numbers. Only an administrator's session may make them. */
import { CodedError } from '../../../common/errors/coded-error.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type AdminCall =
  | 'adminListDevices'
  | 'adminLookupPairing'
  | 'adminApprovePairing'
  | 'adminRejectPairing'
  | 'adminRevokeDevice'
  | 'adminListAgents'
  | 'adminListNumbers'
  | 'adminAddNumber'
  | 'adminRotateNumberToken'
  | 'adminRemoveNumber'
  | 'adminCreateAgent'
  | 'adminDisableAgent'
  | 'adminUnlockAgent'
  | 'adminListSessions'
  | 'adminEndSession'
  | 'adminListAudit'
  | 'adminVerifyAudit';

/** A call with the signed-in admin's token; refused to anyone who does not hold `admin`. */
export function asAdmin(core: CoreContext) {
  return <T>(call: (token: string) => Promise<T>): Promise<T> => {
    if (core.session()?.agent.roles.includes('admin') !== true) return Promise.reject(new CodedError('forbidden_role', 'Only administrators may do this.'));
    return core.inbox().call(call);
  };
}

export function adminHandlers(core: CoreContext): HandlerTable<AdminCall> {
  const admin = asAdmin(core);
  const api = () => core.api();
  return {
    adminListDevices: () => admin((token) => api().adminDevices(token)),
    adminLookupPairing: ({ code }) => admin((token) => api().adminLookupPairing(token, code)),
    adminApprovePairing: ({ code, replaceKey }) => admin((token) => api().adminApprovePairing(token, code, replaceKey === true)),
    adminRejectPairing: ({ code }) => admin((token) => api().adminRejectPairing(token, code)),
    adminRevokeDevice: ({ deviceId, reason }) => admin((token) => api().adminRevokeDevice(token, deviceId, reason)),
    adminListAgents: () => admin((token) => api().adminAgents(token)),
    adminListNumbers: () => admin((token) => api().adminNumbers(token)),
    // The number's secrets pass through to the server in this one call; main keeps no copy.
    adminAddNumber: (number) => admin((token) => api().adminAddNumber(token, number)),
    adminRotateNumberToken: ({ phoneNumberId, accessToken }) => admin((token) => api().adminRotateNumberToken(token, phoneNumberId, accessToken)),
    adminRemoveNumber: ({ phoneNumberId, moveConversationsTo }) => admin((token) => api().adminRemoveNumber(token, phoneNumberId, moveConversationsTo)),
    adminCreateAgent: (request) => admin((token) => api().adminCreateAgent(token, request)),
    adminDisableAgent: ({ agentId }) => admin((token) => api().adminAgentAction(token, agentId, 'disable')),
    adminUnlockAgent: ({ agentId }) => admin((token) => api().adminAgentAction(token, agentId, 'unlock')),
    adminListSessions: () => admin((token) => api().adminSessions(token)),
    adminEndSession: ({ sessionId }) => admin((token) => api().adminEndSession(token, sessionId)),
    adminListAudit: (query) => admin((token) => api().adminAudit(token, query)),
    adminVerifyAudit: () => admin((token) => api().adminVerifyAudit(token)),
  };
}
