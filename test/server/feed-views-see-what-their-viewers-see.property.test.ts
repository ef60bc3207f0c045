/**
 * Property: the event feed builds one frame per view (conversationViewOf) and hands it to every
 * viewer of that view, so two viewers of one view must see exactly the same conversations under
 * the need-to-know rule, whoever they are, whichever teams they are in or supervise, and
 * whoever and whichever team a conversation belongs to; and viewers who see differently must
 * not share a view.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversationViewOf, maySeeConversation } from '../../common/api/conversation-access.js';
import type { ConversationPlace, ConversationViewer } from '../../common/api/conversation-access.js';
import { ROLES } from '../../common/api/session.js';

const AGENTS = [1, 2, 3, 4];
const TEAMS = [1, 2, 3];
const teams = fc.subarray(TEAMS);
const viewer: fc.Arbitrary<ConversationViewer> = fc.record({
  agentId: fc.constantFrom(...AGENTS),
  roles: fc.subarray([...ROLES], { minLength: 1 }),
  memberOf: teams,
  supervises: teams,
});
/** Every place that can tell two viewers apart here: each assignee (or nobody) in each team (or none). */
const PLACES: ConversationPlace[] = [null, ...AGENTS].flatMap((assignedAgentId) => [null, ...TEAMS].map((teamId) => ({ assignedAgentId, teamId })));
const place = fc.constantFrom(...PLACES);

describe('feed views', () => {
  it('give two viewers the same view exactly when they may see the same conversations', () => {
    fc.assert(
      fc.property(viewer, viewer, place, (a, b, where) => {
        if (conversationViewOf(a) === conversationViewOf(b)) expect(maySeeConversation(a, where)).toBe(maySeeConversation(b, where));
        const seeAlike = PLACES.every((each) => maySeeConversation(a, each) === maySeeConversation(b, each));
        expect(conversationViewOf(a) === conversationViewOf(b)).toBe(seeAlike);
      }),
      { numRuns: 1000 },
    );
  });
});
