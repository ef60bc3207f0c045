/** The calls that block and unblock a conversation's customer, and reveal their number; online only (the server decides who may, and audits it). */
import type { CoreContext, HandlerTable } from './core-context.js';

export type BlockCall = 'blockCustomer' | 'unblockCustomer' | 'revealCustomerNumber';

export function blockHandlers(core: CoreContext): HandlerTable<BlockCall> {
  return {
    blockCustomer: ({ conversationId, reason }) => core.inbox().changeConversation((token) => core.api().blockCustomer(token, conversationId, reason)),
    unblockCustomer: ({ conversationId }) => core.inbox().changeConversation((token) => core.api().unblockCustomer(token, conversationId)),
    // The number goes to the renderer that asked and nowhere else: not into the cache, not into a summary.
    revealCustomerNumber: ({ conversationId, reason }) => core.inbox().call((token) => core.api().revealCustomerNumber(token, conversationId, reason)),
  };
}
