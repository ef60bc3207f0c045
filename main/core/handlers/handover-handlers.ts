/** The calls of hand-over: transfer, claim, unassign, a supervisor's bulk reassignment, and whom one may transfer to; online only (the server decides). */
import type { CoreContext, HandlerTable } from './core-context.js';

export type HandoverCall = 'transferConversation' | 'claimConversation' | 'unassignConversation' | 'bulkReassign' | 'listTransferTargets';

export function handoverHandlers(core: CoreContext): HandlerTable<HandoverCall> {
  return {
    transferConversation: ({ conversationId, transfer }) => core.inbox().handOver((token) => core.api().transfer(token, conversationId, transfer)),
    claimConversation: ({ conversationId }) => core.inbox().handOver((token) => core.api().claim(token, conversationId)),
    unassignConversation: ({ conversationId, fromAgentId }) => core.inbox().handOver((token) => core.api().unassign(token, conversationId, fromAgentId)),
    bulkReassign: (body) => core.inbox().call((token) => core.api().bulkReassign(token, body)),
    listTransferTargets: ({ conversationId }) => core.inbox().call((token) => core.api().transferTargets(token, conversationId)),
  };
}
