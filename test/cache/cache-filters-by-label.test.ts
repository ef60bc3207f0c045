/**
 * Labels on the workstation: they ride in each cached summary, so the list keeps to the
 * conversations carrying a label when asked (still only among those the agent may see), a
 * conversation's label put on or taken off by the feed moves it in or out of that list, and a
 * list read to its end vouches for its list of one label, not the other way round. Real SQLCipher files.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { InboxCache } from '../../main/cache/inbox-cache.js';
import { conversationView, teamViewer } from '../helpers/cache-rows.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ANNA = teamViewer(7, 'agent');
const REFUND = { id: 4, name: 'Refund', color: 'red' } as const;
const VIP = { id: 5, name: 'VIP', color: 'purple' } as const;

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function openInbox() {
  const temp = makeTempDir('sportello-cache-labels-');
  temps.push(temp);
  const db = openCacheDatabase(temp.dir, crypto.randomBytes(32));
  return { db, inbox: new InboxCache(db) };
}

describe('the cache and labels', () => {
  it('lists the conversations carrying a label, among those the agent may see, and follows the feed as labels go on and off', () => {
    const { db, inbox } = openInbox();
    try {
      inbox.storePage(
        {
          conversations: [
            conversationView(1, { labels: [REFUND] }),
            conversationView(2, { labels: [REFUND, VIP] }),
            // Someone else's: never listed to Anna, label or not.
            conversationView(3, { labels: [REFUND], assignedAgentId: 99 }),
            conversationView(4),
          ],
        },
        1,
      );
      const ids = (label?: number) => inbox.listConversations(ANNA, 'all', undefined, 10, undefined, 'open', label).items.map((item) => item.id);
      expect(ids()).toEqual([4, 2, 1]);
      expect(ids(REFUND.id)).toEqual([2, 1]);
      expect(ids(VIP.id)).toEqual([2]);
      expect(ids(99)).toEqual([]);
      inbox.applyFeed(
        [
          { type: 'conversation', seq: 2, conversation: conversationView(4, { labels: [VIP] }) },
          { type: 'conversation', seq: 3, conversation: conversationView(2, { labels: [VIP] }) },
        ],
        3,
      );
      expect(ids(REFUND.id)).toEqual([1]);
      expect(ids(VIP.id)).toEqual([4, 2]);
      // A page asked for before the feed's word does not put the label back.
      inbox.storePage({ conversations: [conversationView(2, { labels: [REFUND, VIP] })] }, 2);
      expect(ids(REFUND.id)).toEqual([1]);
    } finally {
      db.close();
    }
  });

  it('vouches for a list of one label as far as the same list of every label, and not the other way round', () => {
    const { db, inbox } = openInbox();
    try {
      const { coverage } = inbox;
      const list = { kind: 'conversations', filter: 'mine', state: 'open' } as const;
      coverage.extend({ ...list, label: VIP.id }, 'end', coverage.forgets);
      expect(coverage.vouchedFor({ ...list, label: VIP.id })).toBe('end');
      expect(coverage.vouchedFor(list)).toBeUndefined();
      expect(coverage.vouchedFor({ ...list, label: REFUND.id })).toBeUndefined();
      coverage.extend({ kind: 'conversations', filter: 'all', state: 'open' }, 'end', coverage.forgets);
      expect(coverage.vouchedFor({ ...list, label: REFUND.id })).toBe('end');
      expect(coverage.vouchedFor({ ...list, label: REFUND.id, number: '100000000000001' })).toBe('end');
    } finally {
      db.close();
    }
  });
});
