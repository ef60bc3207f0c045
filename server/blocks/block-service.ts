/**
 * Blocking and unblocking a conversation's customer, as the client API offers it (issue 13). Any
 * agent who may see the conversation blocks, with a reason; only a supervisor of its team
 * unblocks. A conversation the caller may not see is "not found", exactly as a missing one, and
 * nothing changes. The block is written with its audit row in one transaction (its triggers put
 * the conversations on the feed); then the business number blocks the customer on WhatsApp, and
 * what WhatsApp answered is recorded on the block and audited. Unblocking deletes the block and
 * undoes the WhatsApp block where there was one.
 */
import type { Kysely } from 'kysely';
import type { BlockCustomerBody } from '../../common/api/blocks.js';
import { supervisesTeam } from '../../common/api/conversation-access.js';
import type { ConversationChanged } from '../../common/api/inbox.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Actor } from '../audit/actor.js';
import { agentActor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { BusinessNumbers } from '../numbers/business-numbers.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { WhatsAppBlockResult } from './whatsapp-block.js';
import { whatsappBlock } from './whatsapp-block.js';

export interface BlockServiceDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly numbers: Pick<BusinessNumbers, 'line'>;
  readonly now: () => number;
}

interface Pair {
  readonly contactId: number;
  readonly phoneNumberId: string;
  readonly waId: string | null;
}

async function pairOf(trx: StoreTransaction, conversationId: number): Promise<Pair> {
  const row = await trx
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select(['conversations.contact_id', 'conversations.business_phone_number_id', 'contacts.wa_id'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (row === undefined) throw new CodedError('conversation_not_found', `There is no conversation ${conversationId} you may see.`);
  return { contactId: row.contact_id, phoneNumberId: row.business_phone_number_id, waId: row.wa_id };
}

export class BlockService {
  readonly #deps: BlockServiceDeps;

  constructor(deps: BlockServiceDeps) {
    this.#deps = deps;
  }

  async block(principal: SessionPrincipal, conversationId: number, body: BlockCustomerBody, sourceAddress: string | null): Promise<ConversationChanged> {
    const { committer, views, now } = this.#deps;
    await visibleConversation(views, principal, conversationId);
    const actor = agentActor(principal, sourceAddress);
    const pair = await committer.submit(async (trx) => {
      const at = now();
      const found = await pairOf(trx, conversationId);
      const existing = await trx
        .selectFrom('customer_blocks')
        .select('id')
        .where('contact_id', '=', found.contactId)
        .where('business_phone_number_id', '=', found.phoneNumberId)
        .executeTakeFirst();
      if (existing !== undefined) throw new CodedError('customer_already_blocked', 'This customer is already blocked on this number.');
      await trx
        .insertInto('customer_blocks')
        .values({
          contact_id: found.contactId,
          business_phone_number_id: found.phoneNumberId,
          reason: body.reason,
          blocked_by_agent_id: principal.agentId,
          blocked_at: at,
          whatsapp_outcome: 'pending',
          whatsapp_error_code: null,
          whatsapp_checked_at: null,
        })
        .execute();
      await this.#audit(
        trx,
        actor,
        principal.agentId,
        'customer.blocked',
        { conversationId, contactId: found.contactId, phoneNumberId: found.phoneNumberId, reason: body.reason },
        at,
      );
      return found;
    });
    const result = await whatsappBlock(this.#deps.numbers, pair.phoneNumberId, pair.waId, 'block');
    await committer.submit(async (trx) => {
      const at = now();
      await trx
        .updateTable('customer_blocks')
        .set({ whatsapp_outcome: result.outcome, whatsapp_error_code: result.errorCode, whatsapp_checked_at: at })
        .where('contact_id', '=', pair.contactId)
        .where('business_phone_number_id', '=', pair.phoneNumberId)
        .execute();
      await this.#auditWhatsApp(trx, actor, principal.agentId, 'customer.whatsapp_blocked', conversationId, pair, result, at);
    });
    return { conversation: await visibleConversation(views, principal, conversationId) };
  }

  async unblock(principal: SessionPrincipal, conversationId: number, sourceAddress: string | null): Promise<ConversationChanged> {
    const { committer, views, now } = this.#deps;
    const conversation = await visibleConversation(views, principal, conversationId);
    if (!supervisesTeam(principal, conversation.teamId)) {
      throw new CodedError('unblock_not_permitted', 'Only a supervisor of this conversation’s team can unblock its customer.');
    }
    const actor = agentActor(principal, sourceAddress);
    const removed = await committer.submit(async (trx) => {
      const at = now();
      const found = await pairOf(trx, conversationId);
      const block = await trx
        .deleteFrom('customer_blocks')
        .where('contact_id', '=', found.contactId)
        .where('business_phone_number_id', '=', found.phoneNumberId)
        .returning(['whatsapp_outcome'])
        .executeTakeFirst();
      if (block === undefined) throw new CodedError('customer_not_blocked', 'This customer is not blocked on this number.');
      await this.#audit(
        trx,
        actor,
        principal.agentId,
        'customer.unblocked',
        { conversationId, contactId: found.contactId, phoneNumberId: found.phoneNumberId },
        at,
      );
      return { pair: found, onWhatsApp: block.whatsapp_outcome === 'blocked' || block.whatsapp_outcome === 'pending' };
    });
    if (removed.onWhatsApp) {
      const result = await whatsappBlock(this.#deps.numbers, removed.pair.phoneNumberId, removed.pair.waId, 'unblock');
      await committer.submit((trx) =>
        this.#auditWhatsApp(trx, actor, principal.agentId, 'customer.whatsapp_unblocked', conversationId, removed.pair, result, now()),
      );
    }
    return { conversation: await visibleConversation(views, principal, conversationId) };
  }

  #audit(trx: StoreTransaction, actor: Actor, agentId: number, event: string, details: Record<string, string | number>, at: number): Promise<void> {
    return appendAudit(trx, { event, outcome: 'ok', actor: actor.name, agentId, sourceAddress: actor.sourceAddress, details }, at);
  }

  #auditWhatsApp(
    trx: StoreTransaction,
    actor: Actor,
    agentId: number,
    event: string,
    conversationId: number,
    pair: Pair,
    result: WhatsAppBlockResult,
    at: number,
  ): Promise<void> {
    return appendAudit(
      trx,
      {
        event,
        outcome: result.outcome === 'failed' ? 'failed' : 'ok',
        actor: actor.name,
        agentId,
        sourceAddress: actor.sourceAddress,
        details: { conversationId, contactId: pair.contactId, phoneNumberId: pair.phoneNumberId, whatsapp: result.outcome, errorCode: result.errorCode },
      },
      at,
    );
  }
}
