/**
 * The client API, every route of it in one table: what the server registers (one handler per
 * entry), what its OpenAPI document describes, what the desktop app's ServerApi calls, and what
 * route tests walk.
 */
import { ADMIN_ENDPOINTS } from './admin-endpoints.js';
import { ANALYTICS_ENDPOINTS } from './analytics-endpoints.js';
import { BLOCK_ENDPOINTS } from './block-endpoints.js';
import { BRIEFING_ENDPOINTS } from './briefing-endpoints.js';
import type { Endpoint } from './endpoint.js';
import { FEED_ENDPOINTS } from './feed-endpoints.js';
import { HOURS_ENDPOINTS } from './hours-endpoints.js';
import { HANDOVER_ENDPOINTS } from './handover-endpoints.js';
import { IDENTITY_ENDPOINTS } from './identity-endpoints.js';
import { INBOX_ENDPOINTS } from './inbox-endpoints.js';
import { NOTE_ENDPOINTS } from './note-endpoints.js';
import { PAYMENT_ENDPOINTS } from './payment-endpoints.js';
import { NUMBER_ENDPOINTS } from './number-endpoints.js';
import { PERSONAL_DATA_ENDPOINTS } from './personal-data-endpoints.js';
import { PRESENCE_ENDPOINTS } from './presence-endpoints.js';
import { REPLY_ENDPOINTS } from './reply-endpoints.js';
import { ROUTING_ENDPOINTS } from './routing-endpoints.js';
import { SAFETY_ENDPOINTS } from './safety-endpoints.js';
import { SCHEDULE_ENDPOINTS } from './schedule-endpoints.js';
import { SUPERVISION_ENDPOINTS } from './supervision-endpoints.js';
import { TEMPLATE_ENDPOINTS } from './template-endpoints.js';

/** The groups, apart: each is served by one file of handlers on the server. */
export const CLIENT_API_GROUPS = {
  identity: IDENTITY_ENDPOINTS,
  inbox: INBOX_ENDPOINTS,
  notes: NOTE_ENDPOINTS,
  admin: ADMIN_ENDPOINTS,
  presence: PRESENCE_ENDPOINTS,
  routing: ROUTING_ENDPOINTS,
  supervision: SUPERVISION_ENDPOINTS,
  feed: FEED_ENDPOINTS,
  replies: REPLY_ENDPOINTS,
  hours: HOURS_ENDPOINTS,
  handover: HANDOVER_ENDPOINTS,
  safety: SAFETY_ENDPOINTS,
  blocks: BLOCK_ENDPOINTS,
  personalData: PERSONAL_DATA_ENDPOINTS,
  briefing: BRIEFING_ENDPOINTS,
  payments: PAYMENT_ENDPOINTS,
  numbers: NUMBER_ENDPOINTS,
  templates: TEMPLATE_ENDPOINTS,
  analytics: ANALYTICS_ENDPOINTS,
  schedule: SCHEDULE_ENDPOINTS,
} as const;

export const CLIENT_API = {
  ...IDENTITY_ENDPOINTS,
  ...INBOX_ENDPOINTS,
  ...NOTE_ENDPOINTS,
  ...ADMIN_ENDPOINTS,
  ...PRESENCE_ENDPOINTS,
  ...ROUTING_ENDPOINTS,
  ...SUPERVISION_ENDPOINTS,
  ...FEED_ENDPOINTS,
  ...REPLY_ENDPOINTS,
  ...HOURS_ENDPOINTS,
  ...HANDOVER_ENDPOINTS,
  ...SAFETY_ENDPOINTS,
  ...BLOCK_ENDPOINTS,
  ...PERSONAL_DATA_ENDPOINTS,
  ...BRIEFING_ENDPOINTS,
  ...PAYMENT_ENDPOINTS,
  ...NUMBER_ENDPOINTS,
  ...TEMPLATE_ENDPOINTS,
  ...ANALYTICS_ENDPOINTS,
  ...SCHEDULE_ENDPOINTS,
} satisfies Readonly<Record<string, Endpoint>>;
export type ClientApi = typeof CLIENT_API;
export type EndpointName = keyof ClientApi;

export const ENDPOINT_NAMES = Object.keys(CLIENT_API) as EndpointName[];

/** Every route of the client API, named. */
export const CLIENT_API_ROUTES: ReadonlyArray<Endpoint & { readonly name: EndpointName }> = ENDPOINT_NAMES.map((name) => ({ ...CLIENT_API[name], name }));
