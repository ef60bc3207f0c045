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
    adminListDevices: () => admin((token) => api().admin.devices(token)),
    adminLookupPairing: ({ code }) => admin((token) => api().admin.lookupPairing(token, code)),
    adminApprovePairing: ({ code, replaceKey }) => admin((token) => api().admin.approvePairing(token, code, replaceKey === true)),
    adminRejectPairing: ({ code }) => admin((token) => api().admin.rejectPairing(token, code)),
    adminRevokeDevice: ({ deviceId, reason }) => admin((token) => api().admin.revokeDevice(token, deviceId, reason)),
    adminListAgents: () => admin((token) => api().admin.agents(token)),
    adminListNumbers: () => admin((token) => api().admin.numbers(token)),
    // The number's secrets pass through to the server in this one call; main keeps no copy.
    adminAddNumber: (number) => admin((token) => api().admin.addNumber(token, number)),
    adminRotateNumberToken: ({ phoneNumberId, accessToken }) => admin((token) => api().admin.rotateNumberToken(token, phoneNumberId, accessToken)),
    adminRemoveNumber: ({ phoneNumberId, moveConversationsTo }) => admin((token) => api().admin.removeNumber(token, phoneNumberId, moveConversationsTo)),
    adminCreateAgent: (request) => admin((token) => api().admin.createAgent(token, request)),
    adminDisableAgent: ({ agentId }) => admin((token) => api().admin.agentAction(token, agentId, 'disable')),
    adminUnlockAgent: ({ agentId }) => admin((token) => api().admin.agentAction(token, agentId, 'unlock')),
    adminListSessions: () => admin((token) => api().admin.sessions(token)),
    adminEndSession: ({ sessionId }) => admin((token) => api().admin.endSession(token, sessionId)),
    adminListAudit: (query) => admin((token) => api().admin.audit(token, query)),
    adminVerifyAudit: () => admin((token) => api().admin.verifyAudit(token)),
  };
}
