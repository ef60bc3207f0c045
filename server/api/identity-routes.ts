/** The handlers of the client API's routes for device proofs, pairing, enrollment and sessions (common/api/identity-endpoints.ts). */
import type { IDENTITY_ENDPOINTS } from '../../common/api/identity-endpoints.js';
import type { EnrollmentService } from '../agents/enrollment.js';
import type { PairingService } from '../devices/pairing-service.js';
import { issueNonce } from '../devices/device-proofs.js';
import type { LoginService } from '../login/login-service.js';
import type { UnlockService } from '../login/unlock-service.js';
import type { ClientVersionGate } from './client-version-gate.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { Handlers } from './api-route.js';

export interface IdentityRouteDeps {
  readonly committer: GroupCommitter;
  readonly pairing: PairingService;
  readonly enrollment: EnrollmentService;
  readonly login: LoginService;
  readonly unlock: UnlockService;
  readonly clientVersion: ClientVersionGate;
  readonly now: () => number;
}

export function identityHandlers(deps: IdentityRouteDeps): Handlers<typeof IDENTITY_ENDPOINTS> {
  return {
    nonce: () => issueNonce(deps.committer, deps.now()),
    requestPairing: ({ body, request }) => deps.pairing.requestPairing(body, request.ip),
    rotatePairingCode: ({ params, body }) => deps.pairing.rotateCode(params.id, body.proof),
    pairingStatus: ({ params, body }) => deps.pairing.pairingStatus(params.id, body.proof),
    deviceStatus: async ({ body, request }) => {
      const state = await deps.pairing.deviceStatus(body.proof);
      // An outdated app still learns that it was revoked, and wipes; anything else it must update for.
      if (state.status !== 'revoked') deps.clientVersion.check(request);
      return state;
    },
    startEnrollment: ({ body, request }) => deps.enrollment.start(body, request.ip),
    confirmEnrollment: ({ body, request }) => deps.enrollment.confirm(body, request.ip),
    login: ({ body, request }) => deps.login.login(body, request.ip),
    refresh: ({ body, request }) => deps.login.refresh(body, request.ip),
    unlock: async ({ principal, body, request }) => {
      await deps.unlock.unlock(principal, body, request.ip);
      return undefined;
    },
    logout: async ({ principal, request }) => {
      await deps.login.logout(principal, request.ip);
      return undefined;
    },
  };
}
