/** The calls that block and unblock a conversation's customer; online only (the server decides who may, and audits it). */
import type { CoreContext, HandlerTable } from './core-context.js';

export type BlockCall = 'blockCustomer' | 'unblockCustomer';

export function blockHandlers(core: CoreContext): HandlerTable<BlockCall> {
  return {
    blockCustomer: ({ conversationId, reason }) => core.inbox().changeConversation((token) => core.api().blockCustomer(token, conversationId, reason)),
    unblockCustomer: ({ conversationId }) => core.inbox().changeConversation((token) => core.api().unblockCustomer(token, conversationId)),
  };
}
