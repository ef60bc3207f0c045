/** The client API's routes for device proofs, pairing, enrollment and sessions. */
import { z } from 'zod';
import { NonceGrant } from '../../common/api/device-proof.js';
import { DeviceState, DeviceStatusRequest, PairingCodeGrant, PairingProofRequest, PairingRequest, PairingStarted, PairingState } from '../../common/api/pairing.js';
import { EnrollmentCompleted, EnrollmentConfirmRequest, EnrollmentStarted, EnrollmentStartRequest, LoginRequest, RefreshRequest, SessionGrant, UnlockRequest } from '../../common/api/session.js';
import type { EnrollmentService } from '../agents/enrollment.js';
import type { PairingService } from '../devices/pairing-service.js';
import { issueNonce } from '../devices/device-proofs.js';
import type { LoginService } from '../login/login-service.js';
import type { UnlockService } from '../login/unlock-service.js';
import type { ClientVersionGate } from './client-version-gate.js';
import type { GroupCommitter } from '../store/group-commit.js';
import { route } from './api-route.js';
import type { AnyApiRoute } from './api-route.js';

export interface IdentityRouteDeps {
  readonly committer: GroupCommitter;
  readonly pairing: PairingService;
  readonly enrollment: EnrollmentService;
  readonly login: LoginService;
  readonly unlock: UnlockService;
  readonly clientVersion: ClientVersionGate;
  readonly now: () => number;
}

const PairingIdParams = z.object({ id: z.coerce.number().int().positive('the pairing id must be a positive whole number') });

export function identityRoutes(deps: IdentityRouteDeps): AnyApiRoute[] {
  return [
    route({
      method: 'POST',
      url: '/v1/auth/nonce',
      summary: 'A fresh single-use nonce for a device proof (valid 2 minutes)',
      tag: 'auth',
      access: 'public',
      perMinute: 120,
      response: NonceGrant,
      handler: () => issueNonce(deps.committer, deps.now()),
    }),
    route({
      method: 'POST',
      url: '/v1/pairings',
      summary: 'Ask to pair this workstation: returns a one-time code and the approval link for the QR',
      tag: 'pairing',
      access: 'public',
      perMinute: 10,
      body: PairingRequest,
      response: PairingStarted,
      successStatus: 201,
      handler: ({ body, request }) => deps.pairing.requestPairing(body, request.ip),
    }),
    route({
      method: 'POST',
      url: '/v1/pairings/:id/code',
      summary: 'A new code for a pending pairing (earlier codes stop working)',
      tag: 'pairing',
      access: 'public',
      perMinute: 30,
      params: PairingIdParams,
      body: PairingProofRequest,
      response: PairingCodeGrant,
      handler: ({ params, body }) => deps.pairing.rotateCode(params.id, body.proof),
    }),
    route({
      method: 'POST',
      url: '/v1/pairings/:id/status',
      summary: 'Whether the pairing was approved (a signed poll)',
      tag: 'pairing',
      access: 'public',
      perMinute: 120,
      params: PairingIdParams,
      body: PairingProofRequest,
      response: PairingState,
      handler: ({ params, body }) => deps.pairing.pairingStatus(params.id, body.proof),
    }),
    route({
      method: 'POST',
      url: '/v1/device/status',
      summary: 'What the server knows of this workstation and its key',
      tag: 'pairing',
      access: 'public',
      perMinute: 60,
      body: DeviceStatusRequest,
      response: DeviceState,
      handler: async ({ body, request }) => {
        const state = await deps.pairing.deviceStatus(body.proof);
        // An outdated app still learns that it was revoked, and wipes; anything else it must update for.
        if (state.status !== 'revoked') deps.clientVersion.check(request);
        return state;
      },
    }),
    route({
      method: 'POST',
      url: '/v1/enrollment',
      summary: 'Start enrollment with the admin’s one-time code and a new password: returns the authenticator secret',
      tag: 'auth',
      access: 'public',
      perMinute: 10,
      body: EnrollmentStartRequest,
      response: EnrollmentStarted,
      successStatus: 201,
      handler: ({ body, request }) => deps.enrollment.start(body, request.ip),
    }),
    route({
      method: 'POST',
      url: '/v1/enrollment/confirm',
      summary: 'Confirm the authenticator with one current code: returns the recovery codes (once) and a session',
      tag: 'auth',
      access: 'public',
      perMinute: 10,
      body: EnrollmentConfirmRequest,
      response: EnrollmentCompleted,
      handler: ({ body, request }) => deps.enrollment.confirm(body, request.ip),
    }),
    route({
      method: 'POST',
      url: '/v1/sessions',
      summary: 'Log in: username, password, TOTP or recovery code, and the device proof',
      tag: 'auth',
      access: 'public',
      perMinute: 20,
      body: LoginRequest,
      response: SessionGrant,
      successStatus: 201,
      handler: ({ body, request }) => deps.login.login(body, request.ip),
    }),
    route({
      method: 'POST',
      url: '/v1/sessions/refresh',
      summary: 'New tokens for a live session (the refresh token is replaced), with the device proof',
      tag: 'auth',
      access: 'public',
      perMinute: 60,
      body: RefreshRequest,
      response: SessionGrant,
      handler: ({ body, request }) => deps.login.refresh(body, request.ip),
    }),
    route({
      method: 'POST',
      url: '/v1/sessions/current/unlock',
      summary: 'Resume a locked workstation: the authenticator (or a recovery code) and the device proof',
      tag: 'auth',
      access: 'session',
      perMinute: 20,
      body: UnlockRequest,
      response: undefined,
      handler: async ({ principal, body, request }) => {
        await deps.unlock.unlock(principal, body, request.ip);
        return undefined;
      },
    }),
    route({
      method: 'DELETE',
      url: '/v1/sessions/current',
      summary: 'Log out: the session ends now',
      tag: 'auth',
      access: 'session',
      response: undefined,
      handler: async ({ principal, request }) => {
        await deps.login.logout(principal, request.ip);
        return undefined;
      },
    }),
  ];
}
