/**
 * Tells the workstations a template changed (`template_changed`, common/api/events.ts): live only,
 * to the sockets of those who may use its account's numbers (common/templates/template-access.ts).
 * Those are judged on the places the account's conversations take: each number's team queue (its
 * own team, else the default team, where a new conversation on it goes) and where its
 * conversations are now.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ConversationPlace } from '../../common/api/conversation-access.js';
import type { TemplateEvent } from '../../common/api/events.js';
import { mayUseTemplatesOf } from '../../common/templates/template-access.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { InboxDatabase } from '../store/schema.js';
import { templatesById } from './template-store.js';

export interface TemplateSockets {
  sendEphemeral(eventFor: (principal: SessionPrincipal) => TemplateEvent | undefined): void;
}

/** Where the conversations of an account's numbers are, and where a new one would wait. */
export async function placesOfAccount(db: Kysely<InboxDatabase>, wabaId: string): Promise<ConversationPlace[]> {
  const numbers = await db.selectFrom('business_numbers').select(['phone_number_id', 'default_team_id']).where('waba_id', '=', wabaId).execute();
  if (numbers.length === 0) return [];
  const fallback = await db.selectFrom('teams').select('id').orderBy('id').limit(1).executeTakeFirst();
  const places: ConversationPlace[] = numbers.map((number) => ({ assignedAgentId: null, teamId: number.default_team_id ?? fallback?.id ?? null }));
  const current = await db
    .selectFrom('conversations')
    .select(['team_id', 'assigned_agent_id'])
    .distinct()
    .where(
      'business_phone_number_id',
      'in',
      numbers.map((number) => number.phone_number_id),
    )
    .execute();
  for (const row of current) places.push({ assignedAgentId: row.assigned_agent_id, teamId: row.team_id });
  return places;
}

export class TemplateAnnouncer {
  readonly #db: Kysely<InboxDatabase>;
  readonly #sockets: TemplateSockets;
  readonly #log: Logger;

  constructor(deps: { db: Kysely<InboxDatabase>; sockets: TemplateSockets; log: Logger }) {
    this.#db = deps.db;
    this.#sockets = deps.sockets;
    this.#log = deps.log;
  }

  /** After the change committed: each changed template, as it now is, to whoever may use it. */
  announce(ids: readonly string[]): void {
    if (ids.length === 0) return;
    void this.#announce(ids).catch((error: unknown) => this.#log.error({ err: error }, 'template announcement failed'));
  }

  async #announce(ids: readonly string[]): Promise<void> {
    const templates = await templatesById(this.#db, ids);
    const places = new Map<string, ConversationPlace[]>();
    for (const template of templates) {
      let account = places.get(template.wabaId);
      if (account === undefined) {
        account = await placesOfAccount(this.#db, template.wabaId);
        places.set(template.wabaId, account);
      }
      const of = account;
      this.#sockets.sendEphemeral((principal) => (mayUseTemplatesOf(principal, of) ? { type: 'template_changed', template } : undefined));
    }
  }
}
