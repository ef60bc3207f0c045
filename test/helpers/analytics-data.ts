/**
 * Test data for analytics (the generator of issue 14): fills a store with traffic straight through Kysely (bulk inserts in one
 * transaction, never over HTTP), so the triggers of migration 0035 queue it for the fold as they would
 * for real traffic (the next report folds it). Two levels:
 *
 * - `insertConversations(db, plans)`: conversations written as given (their messages, who sent
 *   them, when, templates, resolution): what the hand-computed tests write.
 * - `fillAnalyticsStore(db, shape)`: a month (or any span) of realistic traffic made from a seed:
 *   teams, agents, business numbers, customers writing more in office hours and on weekdays, first
 *   answers slower out of hours, templates of the three categories Meta bills, most conversations
 *   resolved. The same seed gives the same store. Used by `npm run bench:analytics` and the screens.
 */
import type { Kysely } from 'kysely';
import type { InboxDatabase } from '../../server/store/schema.js';

type Db = Kysely<InboxDatabase>;

export interface PlannedMessage {
  readonly at: number;
  /** in: the customer's; out: an agent's (agentId) or, with agentId null, the WhatsApp Business app's. */
  readonly direction: 'in' | 'out';
  readonly agentId?: number | null;
  /** A template send: its name and language (the category is the template list's). */
  readonly template?: { readonly name: string; readonly languageCode: string };
  readonly text?: string;
}

export interface PlannedConversation {
  readonly phoneNumberId: string;
  readonly teamId: number | null;
  /** Who holds it (at the end, and while its messages came: the hourly counts name them). */
  readonly agentId: number | null;
  readonly openedAt: number;
  readonly messages: readonly PlannedMessage[];
  /** Resolved then, by that agent; undefined: still open. */
  readonly resolved?: { readonly at: number; readonly agentId: number | null };
  /** The customer's number (one is made when left out). */
  readonly waId?: string;
  readonly customerName?: string;
}

const ROWS_PER_INSERT = 400;

async function inChunks<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) await insert(rows.slice(start, start + ROWS_PER_INSERT));
}

let wamidCounter = 0;

/** Writes the conversations (with a contact each) and their messages; returns the conversations' ids in order. */
export async function insertConversations(db: Db, plans: readonly PlannedConversation[]): Promise<number[]> {
  return await db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    // Customers' numbers follow the contacts already there: unique, and the same for the same store and plans.
    const before = await trx
      .selectFrom('contacts')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    const firstNumber = 390_000_000_000 + Number(before?.id ?? 0) + 1;
    const stamp = `${Date.now().toString(36)}-${(wamidCounter++).toString(36)}`;
    for (let start = 0; start < plans.length; start += ROWS_PER_INSERT) {
      const chunk = plans.slice(start, start + ROWS_PER_INSERT);
      const contacts = await trx
        .insertInto('contacts')
        .values(
          chunk.map((plan, index) => ({
            wa_id: plan.waId ?? String(firstNumber + start + index),
            user_id: null,
            parent_user_id: null,
            profile_name: plan.customerName ?? `Customer ${start + index + 1}`,
            username: null,
            marketing_preference: null,
            marketing_preference_at: null,
            group_id: null,
            created_at: plan.openedAt,
            updated_at: plan.openedAt,
          })),
        )
        .returning('id')
        .execute();
      const conversations = await trx
        .insertInto('conversations')
        .values(
          chunk.map((plan, index) => {
            const inbound = plan.messages.filter((message) => message.direction === 'in');
            const last = plan.messages.at(-1);
            return {
              contact_id: contacts[index]?.id ?? 0,
              business_phone_number_id: plan.phoneNumberId,
              team_id: plan.teamId,
              assigned_agent_id: plan.agentId,
              assigned_at: plan.agentId === null ? null : plan.openedAt,
              last_inbound_at: inbound.at(-1)?.at ?? null,
              last_message_at: last?.at ?? null,
              last_message_id: null,
              queued_at: plan.agentId === null && plan.teamId !== null ? plan.openedAt : null,
              created_at: plan.openedAt,
              updated_at: last?.at ?? plan.openedAt,
            };
          }),
        )
        .returning('id')
        .execute();
      ids.push(...conversations.map((row) => row.id));
    }
    const messages = plans.flatMap((plan, index) =>
      plan.messages.map((message, position) => {
        const inbound = message.direction === 'in';
        const content = message.template
          ? { type: 'template', name: message.template.name, languageCode: message.template.languageCode, components: [] }
          : { type: 'text', text: message.text ?? (inbound ? `Domanda ${position + 1}` : `Risposta ${position + 1}`) };
        return {
          wamid: `wamid.analytics.${stamp}.${index}.${position}`,
          conversation_id: ids[index] ?? 0,
          direction: inbound ? ('inbound' as const) : ('outbound' as const),
          origin: inbound ? ('customer' as const) : message.agentId === null || message.agentId === undefined ? ('business_app' as const) : ('agent' as const),
          type: content.type,
          content_json: JSON.stringify(content),
          meta_json: null,
          context_wamid: null,
          amends_wamid: null,
          media_id: null,
          sent_at: message.at,
          received_at: message.at,
          status: inbound ? 'received' : 'read',
          status_rank: inbound ? 0 : 3,
          status_at: message.at,
          error_code: null,
          error_title: null,
          error_reason: null,
          idempotency_key: null,
          request_hash: null,
          next_attempt_at: null,
          edited_at: null,
          deleted_at: null,
          raw_json: null,
          sent_by_agent_id: inbound ? null : (message.agentId ?? null),
        };
      }),
    );
    await inChunks(messages, (chunk) => trx.insertInto('messages').values(chunk).execute());
    for (const [index, plan] of plans.entries()) {
      if (plan.resolved === undefined) continue;
      await trx
        .updateTable('conversations')
        .set({
          state: 'resolved',
          state_changed_at: plan.resolved.at,
          resolved_at: plan.resolved.at,
          resolved_by_agent_id: plan.resolved.agentId,
          queued_at: null,
          updated_at: plan.resolved.at,
        })
        .where('id', '=', ids[index] ?? 0)
        .execute();
    }
    return ids;
  });
}

/** A small fast generator (mulberry32): the same seed, the same numbers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface AnalyticsDataShape {
  readonly seed: number;
  /** The first instant of the traffic and how many days it runs. */
  readonly startsAt: number;
  readonly days: number;
  readonly conversations: number;
  /** About this many messages in all (each conversation's count is drawn around the mean). */
  readonly messages: number;
  readonly teams?: number;
  readonly agents?: number;
  readonly numbers?: number;
  /** Use these instead of making teams, agents and numbers (the screens' server has its own). */
  readonly org?: AnalyticsOrg;
}

export interface AnalyticsOrg {
  readonly teams: ReadonlyArray<{ readonly id: number; readonly agentIds: readonly number[] }>;
  readonly phoneNumberIds: readonly string[];
}

export interface FilledStore extends AnalyticsOrg {
  readonly conversations: number;
  readonly messages: number;
}

/** How many customers write in each hour of the day (office hours busiest), and on each weekday (Monday first). */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 5, 9, 10, 10, 8, 6, 8, 9, 9, 8, 6, 4, 3, 2, 2, 1];
const DAY_WEIGHTS = [1.1, 1, 1, 1, 0.95, 0.5, 0.35];
export const SAMPLE_TEMPLATES = [
  { name: 'order_update', languageCode: 'it', category: 'utility' },
  { name: 'order_update', languageCode: 'en', category: 'utility' },
  { name: 'spring_sale', languageCode: 'it', category: 'marketing' },
  { name: 'login_code', languageCode: 'en', category: 'authentication' },
] as const;

function pickWeighted(random: () => number, weights: readonly number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let left = random() * total;
  for (const [index, weight] of weights.entries()) {
    left -= weight;
    if (left < 0) return index;
  }
  return weights.length - 1;
}

/** Makes teams, agents (members of one team each) and business numbers. */
export async function makeOrg(db: Db, shape: { teams: number; agents: number; numbers: number; seed: number }, now: number): Promise<AnalyticsOrg> {
  return await db.transaction().execute(async (trx) => {
    const tag = shape.seed.toString(36);
    const teams = await trx
      .insertInto('teams')
      .values(Array.from({ length: shape.teams }, (_, index) => ({ name: `Team ${index + 1} (${tag})`, description: null, created_at: now, updated_at: now })))
      .returning('id')
      .execute();
    const agentRows: Array<{ id: number }> = [];
    await inChunks(
      Array.from({ length: shape.agents }, (_, index) => ({
        username: `agent${index + 1}.${tag}`,
        display_name: `Agent ${index + 1}`,
        roles: 'agent',
        status: 'active' as const,
        password_hash: null,
        totp_secret_sealed: null,
        totp_last_step: null,
        enrollment_code_hash: null,
        enrollment_expires_at: null,
        pending_password_hash: null,
        pending_totp_secret_sealed: null,
        pending_enrollment_id: null,
        pending_enrollment_device_id: null,
        pending_enrollment_expires_at: null,
        locked_at: null,
        disabled_at: null,
        created_by: 'analytics-data',
        created_at: now,
        updated_at: now,
      })),
      async (chunk) => agentRows.push(...(await trx.insertInto('agents').values(chunk).returning('id').execute())),
    );
    const orgTeams = teams.map((team, teamIndex) => ({
      id: team.id,
      agentIds: agentRows.filter((_, index) => index % teams.length === teamIndex).map((row) => row.id),
    }));
    const members = orgTeams.flatMap((team) => team.agentIds.map((agentId) => ({ team_id: team.id, agent_id: agentId, capacity: 20, created_at: now })));
    await inChunks(members, (chunk) => trx.insertInto('team_members').values(chunk).execute());
    const phoneNumberIds = Array.from({ length: shape.numbers }, (_, index) => `9${tag}${String(index + 1).padStart(4, '0')}`.replace(/[^0-9]/g, '7'));
    await trx
      .insertInto('business_numbers')
      .values(
        phoneNumberIds.map((id, index) => ({
          phone_number_id: id,
          waba_id: null,
          display_name: `Number ${index + 1}`,
          access_token_sealed: null,
          app_secret_sealed: null,
          default_team_id: orgTeams[index % orgTeams.length]?.id ?? null,
          health_state: 'no_token' as const,
          health_error_code: null,
          health_reason: null,
          health_changed_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    return { teams: orgTeams, phoneNumberIds };
  });
}

/** The plans of a span of traffic, from the seed alone. */
export function planTraffic(shape: AnalyticsDataShape, org: AnalyticsOrg): PlannedConversation[] {
  const random = seededRandom(shape.seed);
  const mean = shape.messages / shape.conversations;
  const plans: PlannedConversation[] = [];
  const dayWeights = Array.from(
    { length: shape.days },
    (_, day) =>
      DAY_WEIGHTS[new Date(shape.startsAt + day * 86_400_000).getUTCDay() === 0 ? 6 : new Date(shape.startsAt + day * 86_400_000).getUTCDay() - 1] ?? 1,
  );
  const end = shape.startsAt + shape.days * 86_400_000;
  for (let index = 0; index < shape.conversations; index++) {
    const day = pickWeighted(random, dayWeights);
    const hour = pickWeighted(random, HOUR_WEIGHTS);
    const openedAt = shape.startsAt + day * 86_400_000 + hour * 3_600_000 + Math.floor(random() * 3_600_000);
    const team = org.teams[Math.floor(random() * org.teams.length)] ?? { id: null, agentIds: [] };
    const agentId = team.agentIds.length === 0 || random() < 0.03 ? null : (team.agentIds[Math.floor(random() * team.agentIds.length)] ?? null);
    const count = Math.max(2, Math.round(mean * (0.4 + 1.2 * random())));
    const officeHours = hour >= 8 && hour < 19;
    const messages: PlannedMessage[] = [];
    let at = openedAt;
    let inbound = true;
    for (let position = 0; position < count; position++) {
      const message: PlannedMessage = inbound
        ? { at, direction: 'in' }
        : {
            at,
            direction: 'out',
            agentId: agentId ?? null,
            ...(random() < 0.03 ? { template: SAMPLE_TEMPLATES[Math.floor(random() * SAMPLE_TEMPLATES.length)] } : {}),
          };
      messages.push(message);
      // The first answer waits longer out of office hours; later ones come in a few minutes.
      const firstAnswer = position === 0;
      const delay = firstAnswer ? (officeHours ? 20 + random() * 600 : 600 + random() * 5400) : 15 + random() * 420;
      at += Math.round(delay * 1000);
      if (at >= end) break;
      // Runs of two or three from one side, now and then.
      if (random() < 0.7) inbound = !inbound;
    }
    const resolvedAt = at + Math.round((120 + random() * 3600) * 1000);
    const resolved = random() < 0.85 && resolvedAt < end ? { at: resolvedAt, agentId } : undefined;
    plans.push({
      phoneNumberId: org.phoneNumberIds[Math.floor(random() * org.phoneNumberIds.length)] ?? '',
      teamId: team.id,
      agentId,
      openedAt,
      messages,
      ...(resolved ? { resolved } : {}),
    });
  }
  return plans;
}

/** Fills the store with the shape's traffic; teams, agents and numbers made unless `org` is given. */
export async function fillAnalyticsStore(db: Db, shape: AnalyticsDataShape, progress?: (written: number) => void): Promise<FilledStore> {
  const org =
    shape.org ?? (await makeOrg(db, { teams: shape.teams ?? 10, agents: shape.agents ?? 20, numbers: shape.numbers ?? 2, seed: shape.seed }, shape.startsAt));
  const plans = planTraffic(shape, org);
  let messages = 0;
  const BATCH = 1000;
  for (let start = 0; start < plans.length; start += BATCH) {
    const batch = plans.slice(start, start + BATCH);
    await insertConversations(db, batch);
    messages += batch.reduce((sum, plan) => sum + plan.messages.length, 0);
    progress?.(messages);
  }
  return { ...org, conversations: plans.length, messages };
}
