/** What a login or refresh hands the workstation: tokens, its cache-key share, the lease and the policy. */
import type { ClientPolicy, SessionGrant, TeamScope } from '../../common/api/session.js';
import { rolesOf } from '../store/agent-roles.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { AgentRow, DeviceRow } from '../store/identity-schema.js';

export function cacheShareContext(deviceId: number): string {
  return `cache-share:device:${deviceId}`;
}

export function buildSessionGrant(input: {
  tokens: { accessToken: string; accessExpiresAt: number; refreshToken: string | null; expiresAt: number };
  agent: Pick<AgentRow, 'id' | 'username' | 'display_name' | 'roles'>;
  /** The agent's teams now (server/sessions/team-scope.ts). */
  teams: TeamScope;
  device: Pick<DeviceRow, 'id' | 'label' | 'cache_share_sealed'>;
  key: ServerKey;
  policy: ClientPolicy;
  now: number;
}): SessionGrant {
  const { tokens, agent, device, policy, now, teams } = input;
  if (device.cache_share_sealed === null || tokens.refreshToken === null) {
    throw new CodedError('device_not_active', 'This workstation has no cache key share: it is not an active device.');
  }
  return {
    accessToken: tokens.accessToken,
    accessExpiresAt: tokens.accessExpiresAt,
    refreshToken: tokens.refreshToken,
    sessionExpiresAt: tokens.expiresAt,
    agent: { id: agent.id, username: agent.username, displayName: agent.display_name, roles: rolesOf(agent.roles) },
    teams: { memberOf: [...teams.memberOf], supervises: [...teams.supervises] },
    device: { id: device.id, label: device.label },
    cacheKeyShare: input.key.open(device.cache_share_sealed, cacheShareContext(device.id)).toString('base64url'),
    offlineLeaseEndsAt: now + policy.offlineLeaseHours * 60 * 60 * 1000,
    serverTime: now,
    policy,
  };
}
