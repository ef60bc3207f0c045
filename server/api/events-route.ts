/**
 * The handler of GET /v1/events (common/api/feed-endpoints.ts), the WebSocket of the event feed.
 * The upgrade needs a live session (bearer token, checked by the registration) and a device proof
 * over a fresh nonce in `x-sportello-proof` (machineId.nonce.signature), so a stolen access token
 * alone cannot listen in. Refusals are plain HTTP errors before upgrade.
 */
import type { Kysely } from 'kysely';
import { DeviceProof } from '../../common/api/device-proof.js';
import { PROOF_HEADER } from '../../common/api/feed-endpoints.js';
import type { FEED_ENDPOINTS } from '../../common/api/feed-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { activeDeviceForProof, spendProofNonce } from '../devices/device-proofs.js';
import type { EventFeed } from '../events/event-feed.js';
import type { DeskPresence } from '../presence/desk-presence.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { InboxDatabase } from '../store/schema.js';
import type { Handlers } from './api-route.js';

export interface EventsRouteDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly feed: EventFeed;
  readonly presence: DeskPresence;
  readonly now: () => number;
  /** The inbox routes' gate (the security briefing acknowledged): the feed carries conversations too. */
  readonly inboxGate?: (principal: SessionPrincipal) => Promise<void>;
}

export function eventsHandlers(deps: EventsRouteDeps): Handlers<typeof FEED_ENDPOINTS> {
  return {
    events: {
      accept: async ({ principal, request }) => {
        const header = request.headers[PROOF_HEADER];
        const [machineId, nonce, signature] = typeof header === 'string' ? header.split('.') : [];
        const proof = DeviceProof.safeParse({ machineId, nonce, signature });
        if (!proof.success) throw new CodedError('proof_invalid', `The ${PROOF_HEADER} header must carry this workstation's proof: machineId.nonce.signature.`);
        const device = await activeDeviceForProof(deps.db, proof.data, 'events.connect');
        if (device.id !== principal.deviceId) throw new CodedError('proof_invalid', 'This session belongs to another workstation.');
        await deps.inboxGate?.(principal);
        const now = deps.now();
        await deps.committer.submit(async (trx) => {
          await spendProofNonce(trx, proof.data, now);
          await trx.updateTable('devices').set({ last_seen_at: now }).where('id', '=', device.id).execute();
          // The admins' "last seen" of the session: a reconnect is a sign of use as a refresh is.
          await trx.updateTable('sessions').set({ last_used_at: now }).where('id', '=', principal.sessionId).execute();
        });
      },
      open: (socket, { principal, query }) => {
        deps.presence.socketOpened(socket, principal, query.locked ?? false);
        void deps.feed.attach(socket, principal, query.after);
      },
    },
  };
}
