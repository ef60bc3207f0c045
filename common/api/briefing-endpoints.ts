/** The client API's security-briefing routes: the version in force and the agent's acknowledgement of it, and an admin's publishing and overview. */
import {
  AcknowledgeBriefingRequest,
  AgentBriefingView,
  BriefingAcknowledgementsView,
  BriefingVersionView,
  PublishBriefingRequest,
} from '../briefing/briefing.js';
import { jsonRoute } from './endpoint.js';

export const BRIEFING_ENDPOINTS = {
  getBriefing: jsonRoute({
    method: 'GET',
    url: '/v1/briefing',
    summary:
      'The security briefing in force and the signed-in agent’s acknowledgement of it: required (their inbox refuses them with briefing_acknowledgement_required) until they acknowledge this version, and again after the policy’s briefing.renewAfterDays',
    tag: 'briefing',
    access: 'session',
    response: AgentBriefingView,
  }),
  acknowledgeBriefing: jsonRoute({
    method: 'POST',
    url: '/v1/briefing/acknowledgements',
    summary:
      'Acknowledge every rule of the version in force, by id: refused with briefing_version_not_current for another version, briefing_rules_missing when a rule is left out or unknown. Audited',
    tag: 'briefing',
    access: 'session',
    body: AcknowledgeBriefingRequest,
    response: AgentBriefingView,
    successStatus: 201,
  }),
  getAdminBriefing: jsonRoute({
    method: 'GET',
    url: '/v1/admin/briefing',
    summary: 'The security briefing in force, its version, and who published it when (null: the built-in version 1)',
    tag: 'admin',
    access: 'admin',
    response: BriefingVersionView,
  }),
  publishBriefing: jsonRoute({
    method: 'PUT',
    url: '/v1/admin/briefing',
    summary:
      'Publish a new version of the briefing, whole, made from the version in force: refused with briefing_changed when another was published meanwhile. Audited; every workstation is told (briefing_published) and every agent acknowledges it again',
    tag: 'admin',
    access: 'admin',
    body: PublishBriefingRequest,
    response: BriefingVersionView,
  }),
  listBriefingAcknowledgements: jsonRoute({
    method: 'GET',
    url: '/v1/admin/briefing/acknowledgements',
    summary: 'Each agent who answers customers, the last version of the briefing they acknowledged, when, and whether that holds now',
    tag: 'admin',
    access: 'admin',
    response: BriefingAcknowledgementsView,
  }),
};
