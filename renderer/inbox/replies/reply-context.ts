/** What a quick reply's variables are filled from in the renderer: the open conversation and the signed-in agent. */
import type { ConversationSummary } from '../../../common/api/inbox.js';
import type { ReplyContext } from '../../../common/replies/reply-variables.js';
import { useAppState } from '../../app/app-state-context.js';

export function replyContextOf(conversation: ConversationSummary, agentName: string | null): ReplyContext {
  return {
    customerName: conversation.customer.name,
    agentName,
    teamName: conversation.teamName,
    businessName: conversation.businessNumberName,
  };
}

/** The signed-in agent's display name (null off the inbox). */
export function useSignedInName(): string | null {
  const { state } = useAppState();
  return state?.screen === 'inbox' ? state.agent.displayName : null;
}
