/** The client API's admin routes: devices and the allowlist, pairing decisions, agents, the audit log. */
import { z } from 'zod';
import {
  AgentView,
  AllowlistImported,
  AllowlistImportRequest,
  AllowMachineRequest,
  ApprovePairingRequest,
  AuditListQuery,
  AuditPage,
  AuditVerification,
  CreateAgentRequest,
  DecidePairingRequest,
  DeviceList,
  DeviceView,
  EnrollmentIssued,
  PairingForApproval,
  RecoveryCodesIssued,
  RevokeDeviceRequest,
} from '../../common/api/admin.js';
import { IdParams } from '../../common/api/inbox.js';
import { PairingCode } from '../../common/devices/pairing-code.js';
import type { AgentAdmin } from '../agents/agent-admin.js';
import { auditEntryView, listAudit, verifyAndRecordAuditChain } from '../audit/audit-log.js';
import { agentActor } from '../audit/actor.js';
import type { DeviceAdmin } from '../devices/device-admin.js';
import { parseAllowlistCsv, pendingPairingView } from '../devices/device-admin.js';
import type { PairingService } from '../devices/pairing-service.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { Kysely } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';
import { route } from './api-route.js';
import type { AnyApiRoute } from './api-route.js';
import type { FastifyRequest } from 'fastify';

export interface AdminRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly devices: DeviceAdmin;
  readonly pairing: PairingService;
  readonly agents: AgentAdmin;
  readonly now: () => number;
}

const actorOf = (principal: SessionPrincipal, request: FastifyRequest) => agentActor(principal, request.ip);

export function adminRoutes(deps: AdminRouteDeps): AnyApiRoute[] {
  return [
    route({
      method: 'GET',
      url: '/v1/admin/devices',
      summary: 'Every device with its pending pairing, and the allowlist',
      tag: 'admin',
      access: 'admin',
      response: DeviceList,
      handler: () => deps.devices.list(),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/allowlist',
      summary: 'Register one machine ID with a label',
      tag: 'admin',
      access: 'admin',
      body: AllowMachineRequest,
      response: AllowlistImported,
      handler: ({ body, principal, request }) => deps.devices.allow([body], actorOf(principal, request), 'single'),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/allowlist/import',
      summary: 'Register machine IDs from the MDM’s CSV (machine_id,label); any bad line refuses the whole file',
      tag: 'admin',
      access: 'admin',
      body: AllowlistImportRequest,
      response: AllowlistImported,
      handler: ({ body, principal, request }) => deps.devices.allow(parseAllowlistCsv(body.csv), actorOf(principal, request), 'csv'),
    }),
    route({
      method: 'GET',
      url: '/v1/admin/pairings/lookup',
      summary: 'The pending pairing a code names, to compare its fingerprint with the workstation’s screen',
      tag: 'admin',
      access: 'admin',
      query: z.object({ code: PairingCode }),
      response: PairingForApproval,
      handler: async ({ query }) => {
        const { pairing, device } = await deps.pairing.findByCode(query.code);
        return { device: await deps.devices.get(device.id), pairing: pendingPairingView(pairing) };
      },
    }),
    route({
      method: 'POST',
      url: '/v1/admin/pairings/approve',
      summary: 'Approve the pairing showing this code: the machine ID is bound to its key (replacing an active device’s key only with replaceKey: true)',
      tag: 'admin',
      access: 'admin',
      body: ApprovePairingRequest,
      response: DeviceView,
      handler: async ({ body, principal, request }) => {
        const device = await deps.pairing.approve(body.code, actorOf(principal, request), { refuseKeyReplacement: !body.replaceKey });
        return deps.devices.get(device.id);
      },
    }),
    route({
      method: 'POST',
      url: '/v1/admin/pairings/reject',
      summary: 'Reject the pairing showing this code',
      tag: 'admin',
      access: 'admin',
      body: DecidePairingRequest,
      response: DeviceView,
      handler: async ({ body, principal, request }) => {
        const device = await deps.pairing.reject(body.code, actorOf(principal, request));
        return deps.devices.get(device.id);
      },
    }),
    route({
      method: 'POST',
      url: '/v1/admin/devices/:id/revoke',
      summary: 'Revoke a device: its sessions end, its socket closes, its cache key share is forgotten',
      tag: 'admin',
      access: 'admin',
      params: IdParams,
      body: RevokeDeviceRequest,
      response: DeviceView,
      handler: ({ params, body, principal, request }) => deps.devices.revoke(params.id, body.reason, actorOf(principal, request)),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/devices/:id/unrevoke',
      summary: 'Lift a revocation: the machine may ask to pair again, and needs a new approval',
      tag: 'admin',
      access: 'admin',
      params: IdParams,
      response: DeviceView,
      handler: ({ params, principal, request }) => deps.devices.unrevoke(params.id, actorOf(principal, request)),
    }),
    route({
      method: 'GET',
      url: '/v1/admin/agents',
      summary: 'Every agent',
      tag: 'admin',
      access: 'admin',
      response: z.object({ agents: z.array(AgentView) }),
      handler: async () => ({ agents: await deps.agents.list() }),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/agents',
      summary: 'Create an agent: returns the one-time enrollment code (valid 72 hours), shown once',
      tag: 'admin',
      access: 'admin',
      body: CreateAgentRequest,
      response: EnrollmentIssued,
      successStatus: 201,
      handler: ({ body, principal, request }) => deps.agents.create(body, actorOf(principal, request)),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/agents/:id/disable',
      summary: 'Disable an agent: every session ends now',
      tag: 'admin',
      access: 'admin',
      params: IdParams,
      response: AgentView,
      handler: ({ params, principal, request }) => deps.agents.disable(params.id, actorOf(principal, request)),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/agents/:id/unlock',
      summary: 'Unlock an agent locked after too many failed logins',
      tag: 'admin',
      access: 'admin',
      params: IdParams,
      response: AgentView,
      handler: ({ params, principal, request }) => deps.agents.unlock(params.id, actorOf(principal, request)),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/agents/:id/reset-totp',
      summary: 'Reset an agent’s authenticator: a new enrollment code, shown once; their sessions end',
      tag: 'admin',
      access: 'admin',
      params: IdParams,
      response: EnrollmentIssued,
      handler: ({ params, principal, request }) => deps.agents.resetTotp(params.id, actorOf(principal, request)),
    }),
    route({
      method: 'POST',
      url: '/v1/admin/agents/:id/recovery-codes',
      summary: 'Replace an agent’s recovery codes: the new ones are shown once',
      tag: 'admin',
      access: 'admin',
      params: IdParams,
      response: RecoveryCodesIssued,
      handler: ({ params, principal, request }) => deps.agents.regenerateRecoveryCodes(params.id, actorOf(principal, request)),
    }),
    route({
      method: 'GET',
      url: '/v1/admin/audit',
      summary: 'The audit log, newest first',
      tag: 'admin',
      access: 'admin',
      query: AuditListQuery,
      response: AuditPage,
      handler: async ({ query }) => {
        const rows = await listAudit(deps.db, query);
        return {
          items: rows.map(auditEntryView),
          nextBefore: rows.length === query.limit ? (rows[rows.length - 1]?.id ?? null) : null,
        };
      },
    }),
    route({
      method: 'GET',
      url: '/v1/admin/audit/verify',
      summary: 'Recompute the audit chain and name the first broken row',
      tag: 'admin',
      access: 'admin',
      response: AuditVerification,
      handler: ({ principal, request }) => verifyAndRecordAuditChain(deps.db, deps.committer, actorOf(principal, request), deps.now()),
    }),
  ];
}
