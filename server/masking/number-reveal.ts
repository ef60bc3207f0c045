/**
 * POST /v1/conversations/:id/number/reveal: an agent who may see the conversation asks for its
 * customer's number with a reason. The number goes back in that answer alone (never on the
 * feed, never to anyone else), and the reveal is an audit row `safety.masked_numbers.revealed`
 * naming who, from which workstation, the conversation, the contact and the reason, never the
 * number; it is counted in sportello_safety_actions_total{rule="masked_numbers",action="revealed"}.
 */
import type { RevealedNumber, RevealNumberBody } from '../../common/api/customer-numbers.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SafetyAction, SafetyRule } from '../../common/safety/safety-actions.js';
import { agentActor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';

const REVEALED = { rule: 'masked_numbers', action: 'revealed' } as const satisfies { rule: SafetyRule; action: SafetyAction };

export interface NumberRevealDeps {
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  /** Counts the reveal once its audit row committed (server/safety/safety-actions.ts `counted`). */
  readonly counted: (entry: { rule: SafetyRule; action: SafetyAction }) => void;
  readonly now: () => number;
}

export class NumberReveal {
  readonly #deps: NumberRevealDeps;

  constructor(deps: NumberRevealDeps) {
    this.#deps = deps;
  }

  async reveal(principal: SessionPrincipal, conversationId: number, body: RevealNumberBody, sourceAddress: string | null): Promise<RevealedNumber> {
    const { committer, views, now } = this.#deps;
    const conversation = await visibleConversation(views, principal, conversationId);
    const contactId = conversation.customer.contactId;
    const actor = agentActor(principal, sourceAddress);
    const phone = await committer.submit(async (trx) => {
      const contact = await trx.selectFrom('contacts').select(['wa_id', 'group_id']).where('id', '=', contactId).executeTakeFirstOrThrow();
      if (contact.wa_id === null || contact.group_id !== null) {
        throw new CodedError('customer_number_unknown', 'This customer has no phone number on record: WhatsApp gave only their username, or it is a group.');
      }
      await appendAudit(
        trx,
        {
          event: `safety.${REVEALED.rule}.${REVEALED.action}`,
          outcome: 'ok',
          actor: actor.name,
          agentId: principal.agentId,
          deviceId: principal.deviceId,
          sourceAddress: actor.sourceAddress,
          details: { conversationId, contactId, reason: body.reason },
        },
        now(),
      );
      return contact.wa_id;
    });
    this.#deps.counted(REVEALED);
    return { conversationId, phone };
  }
}
