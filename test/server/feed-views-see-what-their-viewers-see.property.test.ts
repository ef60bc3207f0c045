/**
 * Property: the event feed builds one frame per view (conversationViewOf) and hands it to every
 * viewer of that view, so two viewers of one view must see exactly the same conversations under
 * the need-to-know rule, whoever they are and whoever a conversation is assigned to; and viewers
 * who see differently must not share a view.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversationViewOf, maySeeConversation } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';

const viewer: fc.Arbitrary<ConversationViewer> = fc.record({
  agentId: fc.integer({ min: 1, max: 6 }),
  role: fc.constantFrom('agent' as const, 'supervisor' as const, 'admin' as const),
});
const assignee = fc.option(fc.integer({ min: 1, max: 6 }), { nil: null });
/** Every assignment that can tell two viewers apart here: nobody, or one of the agents. */
const ASSIGNEES = [null, 1, 2, 3, 4, 5, 6];

describe('feed views', () => {
  it('give two viewers the same view exactly when they may see the same conversations', () => {
    fc.assert(
      fc.property(viewer, viewer, assignee, (a, b, assignedAgentId) => {
        if (conversationViewOf(a) === conversationViewOf(b)) expect(maySeeConversation(a, assignedAgentId)).toBe(maySeeConversation(b, assignedAgentId));
        const seeAlike = ASSIGNEES.every((id) => maySeeConversation(a, id) === maySeeConversation(b, id));
        expect(conversationViewOf(a) === conversationViewOf(b)).toBe(seeAlike);
      }),
      { numRuns: 500 },
    );
  });
});
