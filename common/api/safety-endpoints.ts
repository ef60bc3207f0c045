/** The client API's safety-policy routes: the policy every workstation enforces and shows, and an admin's change of it. */
import { AdminSafetyPolicyView, ChangeSafetyPolicyRequest, SafetyPolicyView } from '../safety/safety-policy.js';
import { jsonRoute } from './endpoint.js';

export const SAFETY_ENDPOINTS = {
  getSafetyPolicy: jsonRoute({
    method: 'GET',
    url: '/v1/safety-policy',
    summary: 'The safety policy in force and its version, for every signed-in agent’s workstation to check and show the same rules the server enforces',
    tag: 'safety',
    access: 'session',
    response: SafetyPolicyView,
  }),
  getAdminSafetyPolicy: jsonRoute({
    method: 'GET',
    url: '/v1/admin/safety-policy',
    summary: 'The safety policy in force, its version, and who changed it last and when (null: never changed, the defaults)',
    tag: 'admin',
    access: 'admin',
    response: AdminSafetyPolicyView,
  }),
  setSafetyPolicy: jsonRoute({
    method: 'PUT',
    url: '/v1/admin/safety-policy',
    summary:
      'Replace the safety policy, made from the version given: refused with safety_policy_changed when it is no longer the stored one, host_list_invalid for an entry that is not a host; nothing changes then. Audited (the sections changed, never their values); every workstation is told',
    tag: 'admin',
    access: 'admin',
    body: ChangeSafetyPolicyRequest,
    response: AdminSafetyPolicyView,
  }),
};
