/**
 * Several business numbers on the workstation: the cache keeps each conversation's number, so
 * the list and the search keep to one number when asked, still only among the conversations the
 * agent may see; a list of all numbers read to its end vouches for each number's list; and a
 * cache written before numbers existed gets each conversation's number when this version opens it.
 * Real SQLCipher files.
 */
import crypto from 'node:crypto';
import { teamViewer } from '../helpers/cache-rows.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { CACHE_MIGRATIONS } from '../../main/cache/cache-migrations.js';
import { InboxCache } from '../../main/cache/inbox-cache.js';
import {
  conversationView,
  textMessageView,
  WITHOUT_SCHEMA_5,
  WITHOUT_SCHEMA_6,
  WITHOUT_SCHEMA_7,
  WITHOUT_SCHEMA_9,
  WITHOUT_SCHEMA_10,
} from '../helpers/cache-rows.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SUPPORT = '100000000000001';
const SALES = '100000000000002';
const ANNA = teamViewer(7, 'agent');

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function cacheDirectory(): string {
  const temp = makeTempDir('sportello-cache-numbers-');
  temps.push(temp);
  return temp.dir;
}

/** 1 and 2 on Support (2 assigned to someone else), 3 on Sales; each with a message saying "consegna". */
function fill(inbox: InboxCache): void {
  inbox.storePage(
    {
      conversations: [
        conversationView(1, { businessPhoneNumberId: SUPPORT, businessNumberName: 'Support' }),
        conversationView(2, { businessPhoneNumberId: SUPPORT, businessNumberName: 'Support', assignedAgentId: 99 }),
        conversationView(3, { businessPhoneNumberId: SALES, businessNumberName: 'Sales' }),
      ],
      messages: [textMessageView(10, 1, 'consegna domani'), textMessageView(20, 2, 'consegna oggi'), textMessageView(30, 3, 'consegna ieri')],
    },
    1,
  );
}

describe('the cache and business numbers', () => {
  it('lists and searches one number’s conversations when asked, among those the agent may see', () => {
    const db = openCacheDatabase(cacheDirectory(), crypto.randomBytes(32));
    try {
      const inbox = new InboxCache(db);
      fill(inbox);
      const ids = (number?: string) => inbox.listConversations(ANNA, 'all', undefined, 10, number).items.map((item) => item.id);
      expect(ids()).toEqual([3, 1]);
      expect(ids(SUPPORT)).toEqual([1]);
      expect(ids(SALES)).toEqual([3]);
      const found = (number?: string) => inbox.search(ANNA, 'consegna', 10, number).map((hit) => hit.conversationId);
      expect(found().sort()).toEqual([1, 3]);
      expect(found(SUPPORT)).toEqual([1]);
      expect(found(SALES)).toEqual([3]);
      expect(inbox.conversation(3)).toMatchObject({ businessPhoneNumberId: SALES, businessNumberName: 'Sales' });
      expect(inbox.numbersSeen(ANNA)).toEqual([
        { phoneNumberId: SUPPORT, displayName: 'Support' },
        { phoneNumberId: SALES, displayName: 'Sales' },
      ]);
      // A number whose only conversation she may not see is not one she is offered.
      inbox.storePage(
        { conversations: [conversationView(4, { businessPhoneNumberId: '100000000000003', businessNumberName: 'Hidden', assignedAgentId: 99 })] },
        1,
      );
      expect(inbox.numbersSeen(ANNA).map((number) => number.phoneNumberId)).not.toContain('100000000000003');
    } finally {
      db.close();
    }
  });

  it('lets a list read to its end vouch for each number’s list, and not the other way round', () => {
    const db = openCacheDatabase(cacheDirectory(), crypto.randomBytes(32));
    try {
      const { coverage } = new InboxCache(db);
      coverage.extend({ kind: 'conversations', filter: 'mine', state: 'open', number: SALES }, 'end', coverage.forgets);
      expect(coverage.vouchedFor({ kind: 'conversations', filter: 'mine', state: 'open', number: SALES })).toBe('end');
      expect(coverage.vouchedFor({ kind: 'conversations', filter: 'mine', state: 'open' })).toBeUndefined();
      expect(coverage.vouchedFor({ kind: 'conversations', filter: 'mine', state: 'open', number: SUPPORT })).toBeUndefined();
      coverage.extend({ kind: 'conversations', filter: 'all', state: 'open' }, 'end', coverage.forgets);
      expect(coverage.vouchedFor({ kind: 'conversations', filter: 'unassigned', state: 'open', number: SUPPORT })).toBe('end');
    } finally {
      db.close();
    }
  });

  it('gives the conversations of a cache written before numbers existed their number', () => {
    const dir = cacheDirectory();
    const key = crypto.randomBytes(32);
    let db = openCacheDatabase(dir, key);
    // As schema 3 left it: no number column, summaries without the number's name.
    db.exec(WITHOUT_SCHEMA_10);
    db.exec(WITHOUT_SCHEMA_9);
    db.exec(WITHOUT_SCHEMA_7);
    db.exec(WITHOUT_SCHEMA_6);
    db.exec(WITHOUT_SCHEMA_5);
    db.exec('drop index conversations_by_number; alter table conversations drop column business_phone_number_id;');
    const { businessNumberName: _name, ...before } = conversationView(5, { businessPhoneNumberId: SALES });
    db.prepare('insert into conversations (id, last_message_at, summary_json) values (5, ?, ?)').run(before.lastMessageAt, JSON.stringify(before));
    db.pragma('user_version = 3');
    db.close();

    db = openCacheDatabase(dir, key);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
      const inbox = new InboxCache(db);
      expect(inbox.conversation(5)).toMatchObject({ businessPhoneNumberId: SALES, businessNumberName: SALES });
      expect(inbox.listConversations(ANNA, 'all', undefined, 10, SALES).items.map((item) => item.id)).toEqual([5]);
    } finally {
      db.close();
    }
  });
});
