/**
 * An agent's request for a payment in a conversation (docs/safety-rules.md, "Payment links"): the
 * link comes from the provider an admin set (a Stripe Payment Link, or the fixed page), goes to
 * the customer as the agent's message through the SendService (whose rules all hold; the
 * provider's host is allowed even with an allow list on, since the server made the link), and is
 * recorded with the conversation: a `payment_requests` row, a history line (kind `payment`) and
 * an audit row, in one transaction. Under one idempotency key there is one link (Stripe's own
 * idempotency keys are made from it), one message and one record, however often it is retried.
 * Only those who may see the conversation may ask, or read what was asked.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PaymentRequestCreated } from '../../common/api/payment-endpoints.js';
import type { CardRefusals } from '../../common/cards/outbound-cards.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { LinkRefusals } from '../../common/links/outbound-links.js';
import { parseWebUrl } from '../../common/links/web-url.js';
import type { CreatePaymentRequestBody, PaymentCurrency, PaymentRequestView } from '../../common/payments/payment-links.js';
import { CreatePaymentRequestBody as CreatePaymentRequestSchema, paymentMessageText } from '../../common/payments/payment-links.js';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import { recordHistory } from '../inbox/conversation-history.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { SendService } from '../sending/send-service.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { PaymentProviderNotConfigured } from './payment-provider-settings.js';
import type { PaymentProviderSettings } from './payment-provider-settings.js';
import type { StripePaymentLinks } from './stripe-payment-links.js';

export interface PaymentRequestsDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly settings: Pick<PaymentProviderSettings, 'configured'>;
  readonly stripe: Pick<StripePaymentLinks, 'create'>;
  readonly sendService: Pick<SendService, 'send'>;
  readonly cards: CardRefusals;
  readonly links: LinkRefusals;
  readonly now: () => number;
}

/** The agent asking: who may see the conversation, and what the audit row names. */
export type PaymentRequester = ConversationViewer & { readonly actor: Actor };

function requestHash(body: ReturnType<typeof CreatePaymentRequestSchema.parse>): string {
  const { idempotencyKey: _key, ...rest } = body;
  return crypto.createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** The message's own idempotency key, made from the request's (within the message key's 128 characters). */
function messageKey(idempotencyKey: string): string {
  return `payment:${crypto.createHash('sha256').update(idempotencyKey).digest('base64url')}`;
}

export class PaymentRequests {
  readonly #deps: PaymentRequestsDeps;

  constructor(deps: PaymentRequestsDeps) {
    this.#deps = deps;
  }

  async request(requester: PaymentRequester, input: CreatePaymentRequestBody): Promise<PaymentRequestCreated> {
    const body = CreatePaymentRequestSchema.parse(input);
    await visibleConversation(this.#deps.views, requester, body.conversationId);
    const hash = requestHash(body);
    const existing = await this.#deps.db
      .selectFrom('payment_requests')
      .select(['id', 'request_hash'])
      .where('idempotency_key', '=', body.idempotencyKey)
      .executeTakeFirst();
    if (existing !== undefined) {
      if (existing.request_hash !== hash) throw keyReused();
      return this.#answer(existing.id, true);
    }
    // What the agent wrote must pass the rules before it reaches the provider (a card number in a
    // Stripe product's name would leave the company): the same judgement the send makes again.
    const writer = { agentId: requester.agentId, conversationId: body.conversationId };
    await this.#deps.cards.refuse('message', [body.description], writer);
    await this.#deps.links.refuse('message', [body.description], writer);
    const provider = await this.#deps.settings.configured();
    if (provider.kind === 'none') throw new PaymentProviderNotConfigured();
    const link =
      provider.kind === 'stripe'
        ? await this.#deps.stripe.create({
            secretKey: provider.secretKey,
            amount: body.amount,
            currency: body.currency,
            description: body.description,
            idempotencyKey: body.idempotencyKey,
            conversationId: body.conversationId,
          })
        : { id: null, url: provider.url };
    const host = parseWebUrl(link.url)?.hostname;
    if (host === undefined || !link.url.startsWith('https://'))
      throw new CodedError('payment_provider_failed', 'The payment provider answered a link that is not an https address.');
    const sent = await this.#deps.sendService.send(
      { kind: 'text', conversationId: body.conversationId, text: paymentMessageText(body, link.url), idempotencyKey: messageKey(body.idempotencyKey) },
      requester,
      { alsoAllowedHosts: [host] },
    );
    const id = await this.#deps.committer.submit(async (trx) => {
      const now = this.#deps.now();
      const inserted = await trx
        .insertInto('payment_requests')
        .values({
          conversation_id: body.conversationId,
          agent_id: requester.agentId,
          amount: body.amount,
          currency: body.currency,
          description: body.description,
          provider: provider.kind,
          url: link.url,
          provider_ref: link.id,
          message_id: sent.messageId,
          idempotency_key: body.idempotencyKey,
          request_hash: hash,
          created_at: now,
        })
        .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      // A retry that raced this one recorded it first: that one's record stands.
      if (inserted === undefined) return undefined;
      await recordHistory(trx, {
        conversation_id: body.conversationId,
        kind: 'payment',
        from_state: null,
        state: null,
        snoozed_until: null,
        assigned_agent_id: null,
        actor_agent_id: requester.agentId,
        cause: 'agent',
        at: now,
        payment_request_id: inserted.id,
      });
      await appendAudit(
        trx,
        {
          event: 'payments.requested',
          outcome: 'ok',
          actor: requester.actor.name,
          agentId: requester.agentId,
          sourceAddress: requester.actor.sourceAddress,
          details: {
            conversationId: body.conversationId,
            paymentRequestId: inserted.id,
            provider: provider.kind,
            amount: body.amount,
            currency: body.currency,
          },
        },
        now,
      );
      return inserted.id;
    });
    if (id !== undefined) return this.#answer(id, sent.duplicate);
    const raced = await this.#deps.db
      .selectFrom('payment_requests')
      .select(['id', 'request_hash'])
      .where('idempotency_key', '=', body.idempotencyKey)
      .executeTakeFirstOrThrow();
    if (raced.request_hash !== hash) throw keyReused();
    return this.#answer(raced.id, true);
  }

  /** The payments asked for in a conversation the viewer may see, newest first. */
  async list(viewer: ConversationViewer, conversationId: number): Promise<{ items: PaymentRequestView[] }> {
    await visibleConversation(this.#deps.views, viewer, conversationId);
    const rows = await this.#query()
      .where('p.conversation_id', '=', conversationId)
      .orderBy('p.created_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(500)
      .execute();
    return { items: rows.map(viewOf) };
  }

  async #answer(id: number, duplicate: boolean): Promise<PaymentRequestCreated> {
    const row = await this.#query().where('p.id', '=', id).executeTakeFirstOrThrow();
    const message = (await this.#deps.views.messages([row.message_id])).get(row.message_id);
    if (message === undefined) throw new CodedError('internal_error', 'The payment link’s message was stored but could not be read back.');
    return { paymentRequest: viewOf(row), message, duplicate };
  }

  #query() {
    return this.#deps.db
      .selectFrom('payment_requests as p')
      .innerJoin('agents as a', 'a.id', 'p.agent_id')
      .select([
        'p.id',
        'p.conversation_id',
        'p.amount',
        'p.currency',
        'p.description',
        'p.provider',
        'p.url',
        'p.agent_id',
        'a.display_name',
        'p.created_at',
        'p.message_id',
      ]);
  }
}

interface PaymentRow {
  readonly id: number;
  readonly conversation_id: number;
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
  readonly provider: 'stripe' | 'fixed_url';
  readonly url: string;
  readonly agent_id: number;
  readonly display_name: string;
  readonly created_at: number;
  readonly message_id: number;
}

function viewOf(row: PaymentRow): PaymentRequestView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    amount: Number(row.amount),
    currency: row.currency as PaymentCurrency,
    description: row.description,
    provider: row.provider,
    url: row.url,
    requestedBy: { agentId: row.agent_id, name: row.display_name },
    at: Number(row.created_at),
    messageId: row.message_id,
  };
}

function keyReused(): CodedError {
  return new CodedError('idempotency_key_reused', 'This idempotency key was already used for a different payment request; use a new key for a new request.');
}
