/** The client API's event feed: a WebSocket that needs the session and a fresh device proof. */
import type { DeviceProof } from './device-proof.js';
import { socketRoute } from './endpoint.js';
import { EVENTS_CLOSE, EventsQuery, ServerEvent } from './events.js';

/** The upgrade's header with the workstation's proof (purpose events.connect), so a stolen access token alone cannot listen in. */
export const PROOF_HEADER = 'x-sportello-proof';

/** The header form of a device proof: machineId.nonce.signature. */
export function proofHeaderValue(proof: DeviceProof): string {
  return `${proof.machineId}.${proof.nonce}.${proof.signature}`;
}

export const FEED_ENDPOINTS = {
  events: socketRoute({
    method: 'GET',
    url: '/v1/events',
    summary: 'The event feed (WebSocket), in sequence order: ?after=<the last seq seen> replays what came since, then live events follow',
    tag: 'events',
    access: 'session',
    query: EventsQuery,
    header: { name: PROOF_HEADER, description: 'The workstation’s device proof for events.connect, as machineId.nonce.signature' },
    messages: ServerEvent,
    closeCodes: EVENTS_CLOSE,
  }),
};
