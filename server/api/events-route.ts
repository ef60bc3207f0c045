/**
 * GET /v1/events: the WebSocket of the event feed. The upgrade needs a live session (bearer
 * token) and a device proof over a fresh nonce in `x-sportello-proof` (machineId.nonce.signature),
 * so a stolen access token alone cannot listen in. Refusals are plain HTTP errors before upgrade.
 */
import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { DeviceProof } from '../../common/api/device-proof.js';
import { EventsQuery } from '../../common/api/events.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { activeDeviceForProof, spendProofNonce } from '../devices/device-proofs.js';
import type { EventFeed } from '../events/event-feed.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { authenticate, describeZodError } from './register-api.js';

export const EVENTS_PATH = '/v1/events';
export const PROOF_HEADER = 'x-sportello-proof';

/** The header form of a device proof. */
export function proofHeaderValue(proof: DeviceProof): string {
  return `${proof.machineId}.${proof.nonce}.${proof.signature}`;
}

export interface EventsRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly feed: EventFeed;
  readonly now: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    eventsPrincipal?: SessionPrincipal;
    eventsAfter?: number;
  }
}

export function registerEventsRoute(app: FastifyInstance, deps: EventsRouteDeps): void {
  app.route({
    method: 'GET',
    url: EVENTS_PATH,
    preValidation: async (request) => {
      const query = EventsQuery.safeParse(request.query);
      if (!query.success) throw new CodedError('invalid_request', describeZodError('query', query.error));
      const principal = await authenticate(deps, request, 'session');
      const header = request.headers[PROOF_HEADER];
      const [machineId, nonce, signature] = typeof header === 'string' ? header.split('.') : [];
      const proof = DeviceProof.safeParse({ machineId, nonce, signature });
      if (!proof.success) throw new CodedError('proof_invalid', `The ${PROOF_HEADER} header must carry this workstation's proof: machineId.nonce.signature.`);
      const device = await activeDeviceForProof(deps.db, proof.data, 'events.connect');
      if (device.id !== principal.deviceId) throw new CodedError('proof_invalid', 'This session belongs to another workstation.');
      const now = deps.now();
      await deps.committer.submit(async (trx) => {
        await spendProofNonce(trx, proof.data, now);
        await trx.updateTable('devices').set({ last_seen_at: now }).where('id', '=', device.id).execute();
      });
      request.eventsPrincipal = principal;
      request.eventsAfter = query.data.after;
    },
    handler: (_request, reply) => reply.code(426).send({ error: { code: 'upgrade_required', message: 'Connect with a WebSocket.' } }),
    wsHandler: (socket, request) => {
      const principal = request.eventsPrincipal;
      if (principal === undefined) {
        socket.close(4401, 'unauthenticated');
        return;
      }
      void deps.feed.attach(socket, principal, request.eventsAfter);
    },
  });
}
