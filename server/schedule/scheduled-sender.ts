/**
 * Hands scheduled messages whose time came (state `sending`, marked by their job in
 * scheduled-kinds.ts) to the outbound queue through SendService, as their agent's send: the same
 * checks as a send now (card numbers, links, codes, personal data, the window, a block), under the
 * row's own random send key (scheduled-send-key.ts), so a message is queued at most once however often this
 * runs (after a crash between the job and the queue, `resume` runs it again and finds the message
 * queued). From the queue, the dispatcher's at-most-once to Meta applies: a send cut off in flight
 * comes back as interrupted, never retried blindly. One conversation's go one at a time, in due order.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { SendRequestInput } from '../../common/messages/send-request.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { ScheduledContent, ScheduledTemplate } from '../../common/schedule/scheduled-message.js';
import { ReturnReason } from '../../common/schedule/scheduled-message.js';
import type { SendService } from '../sending/send-service.js';
import { rolesOf } from '../store/agent-roles.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { teamScopesOf } from '../sessions/team-scope.js';
import type { ScheduledRow } from '../inbox/scheduled-views.js';
import { scheduledSendKey } from './scheduled-send-key.js';

export interface ScheduledSenderDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly sendService: Pick<SendService, 'send'>;
  readonly log: Logger;
  readonly now: () => number;
  /** Before trying again after a failure that is not a refusal (the store was busy). */
  readonly retryMs?: number;
}

/** The send a scheduled message becomes: its content, or its fallback template when the job chose it. */
export function scheduledSendRequest(row: ScheduledRow): SendRequestInput {
  const base = { idempotencyKey: scheduledSendKey(row), conversationId: row.conversation_id, confirmedCode: Number(row.confirmed_code) === 1 };
  if (Number(row.sent_as_fallback) === 1 && row.fallback_json !== null) {
    const fallback = JSON.parse(row.fallback_json) as ScheduledTemplate;
    return { ...base, kind: 'template', name: fallback.name, languageCode: fallback.languageCode, components: fallback.components };
  }
  const content = JSON.parse(row.content_json) as ScheduledContent;
  switch (content.kind) {
    case 'text':
      return { ...base, kind: 'text', text: content.text, previewUrl: content.previewUrl, personalDataPurpose: content.personalDataPurpose };
    case 'media':
      return { ...base, kind: 'media', mediaId: content.mediaId, caption: content.caption, personalDataPurpose: content.personalDataPurpose };
    case 'template':
      return { ...base, kind: 'template', name: content.name, languageCode: content.languageCode, components: content.components };
  }
}

export class ScheduledSender {
  readonly #deps: ScheduledSenderDeps;
  /** Per conversation: its drain, and whether another was asked for while it ran. */
  readonly #draining = new Map<number, Promise<void>>();
  readonly #again = new Set<number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = true;

  constructor(deps: ScheduledSenderDeps) {
    this.#deps = deps;
  }

  /** Hands over what a run before this process left `sending`; then takes what jobs hand it. */
  async start(): Promise<void> {
    this.#stopped = false;
    const left = await this.#deps.db.selectFrom('scheduled_messages').select('conversation_id').distinct().where('state', '=', sql.lit('sending')).execute();
    for (const row of left) this.handOff(row.conversation_id);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#draining.values()]);
  }

  /** The conversation has scheduled messages marked `sending`: hand them over, in due order. */
  handOff(conversationId: number): void {
    if (this.#stopped) return;
    if (this.#draining.has(conversationId)) {
      this.#again.add(conversationId);
      return;
    }
    const drain = this.#drain(conversationId).finally(() => {
      this.#draining.delete(conversationId);
      if (this.#again.delete(conversationId)) this.handOff(conversationId);
    });
    this.#draining.set(conversationId, drain);
  }

  /** Settles once nothing is being handed over (for tests and for stopping). */
  async idle(): Promise<void> {
    while (this.#draining.size > 0) await Promise.all([...this.#draining.values()]);
  }

  async #drain(conversationId: number): Promise<void> {
    const { db } = this.#deps;
    for (;;) {
      if (this.#stopped) return;
      const row = await db
        .selectFrom('scheduled_messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('state', '=', sql.lit('sending'))
        .orderBy('send_at')
        .orderBy('id')
        .executeTakeFirst();
      if (row === undefined) return;
      if (!(await this.#send(row))) {
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.handOff(conversationId);
        }, this.#deps.retryMs ?? 5000);
        this.#timers.add(timer);
        return;
      }
    }
  }

  /** False: it could not be handed over now (not a refusal); it stays `sending` for the next try. */
  async #send(row: ScheduledRow): Promise<boolean> {
    const { db, committer, sendService, log, now } = this.#deps;
    const agent = await db.selectFrom('agents').select('roles').where('id', '=', row.agent_id).executeTakeFirstOrThrow();
    const scope = (await teamScopesOf(db, [row.agent_id])).get(row.agent_id);
    const sender = { agentId: row.agent_id, roles: rolesOf(agent.roles), memberOf: scope?.memberOf ?? [], supervises: scope?.supervises ?? [] };
    let outcome: { state: 'sent'; messageId: number } | { state: 'returned'; reason: string };
    try {
      const sent = await sendService.send(scheduledSendRequest(row), sender);
      outcome = { state: 'sent', messageId: sent.messageId };
    } catch (error) {
      if (!(error instanceof CodedError)) {
        log.warn({ err: error, scheduledId: row.id }, 'scheduled message not handed over yet');
        return false;
      }
      const code = (error as CodedError<string>).code;
      outcome = { state: 'returned', reason: ReturnReason.safeParse(code).success ? code : 'send_refused' };
    }
    const at = now();
    const change =
      outcome.state === 'sent'
        ? { state: 'sent' as const, message_id: outcome.messageId, updated_at: at }
        : { state: 'returned' as const, reason: outcome.reason, updated_at: at };
    await committer.submit((trx) =>
      trx.updateTable('scheduled_messages').set(change).where('id', '=', row.id).where('state', '=', sql.lit('sending')).execute(),
    );
    return true;
  }
}
