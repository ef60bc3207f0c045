/**
 * Regression: FTS5 only marks a deleted row's words as deleted, in a segment of its own, and keeps
 * them in the old one until a merge rewrites it. A conversation taken from this agent left its
 * messages' words and its customer's name and number in the search index's segments, readable with
 * the agent's key, though no search found them. Since cache schema 3 the indexes delete for real,
 * and a cache an earlier version wrote is rewritten once. Real SQLCipher files, the index's
 * segments read back by their bytes.
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

const WORD = 'zanzibarquokka';
const NAME = 'Marco Taylor';
const NUMBER = '393471000001';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function cacheDirectory(): string {
  const temp = makeTempDir('sportello-fts-forget-');
  temps.push(temp);
  return temp.dir;
}

/** Which of the words the search indexes' segments hold, by their bytes (lowercase, as the tokenizer keeps them). */
function wordsInSegments(db: ReturnType<typeof openCacheDatabase>): string[] {
  const blobs = ['messages_fts_data', 'contacts_fts_data'].flatMap((table) =>
    (db.prepare(`select block from ${table}`).all() as Array<{ block: Buffer | null }>).map((row) => row.block ?? Buffer.alloc(0)),
  );
  return [WORD, 'marco', 'taylor', NUMBER].filter((word) => blobs.some((blob) => blob.includes(Buffer.from(word))));
}

/** Conversation 1 (the one that will be taken) and conversation 2 (which stays), in the cache at seq 1. */
function fill(inbox: InboxCache): void {
  inbox.storePage(
    {
      conversations: [conversationView(1, { customer: { contactId: 1, name: NAME, phone: NUMBER, username: null } }), conversationView(2)],
      messages: [textMessageView(10, 1, `my code word is ${WORD}`), textMessageView(11, 2, 'something else entirely')],
    },
    1,
  );
}

describe('a conversation taken from this agent', () => {
  it('leaves no word, name or number of it in the search index’s segments', () => {
    const db = openCacheDatabase(cacheDirectory(), crypto.randomBytes(32));
    try {
      const inbox = new InboxCache(db);
      fill(inbox);
      expect(wordsInSegments(db)).toEqual([WORD, 'marco', 'taylor', NUMBER]);
      inbox.applyFeed([{ type: 'conversation_hidden', seq: 2, conversationId: 1 }], 2);
      expect(wordsInSegments(db)).toEqual([]);
      // The other conversation is still found.
      expect(inbox.search(teamViewer(7, 'agent'), 'entirely', 10).map((hit) => hit.conversationId)).toEqual([2]);
    } finally {
      db.close();
    }
  });

  it('leaves none either in a cache an earlier version wrote, once this version opens it', () => {
    const dir = cacheDirectory();
    const key = crypto.randomBytes(32);
    let db = openCacheDatabase(dir, key);
    // As schema 2 left it: deletes only marked, the words of a forgotten conversation still in the segments.
    db.exec(
      `insert into messages_fts (messages_fts, rank) values ('secure-delete', 0); insert into contacts_fts (contacts_fts, rank) values ('secure-delete', 0);`,
    );
    const inbox = new InboxCache(db);
    fill(inbox);
    inbox.applyFeed([{ type: 'conversation_hidden', seq: 2, conversationId: 1 }], 2);
    expect(wordsInSegments(db)).toEqual([WORD, 'marco', 'taylor', NUMBER]);
    // Without what later schemas added, so they apply again.
    db.exec(WITHOUT_SCHEMA_10);
    db.exec(WITHOUT_SCHEMA_9);
    db.exec(WITHOUT_SCHEMA_7);
    db.exec(WITHOUT_SCHEMA_6);
    db.exec(WITHOUT_SCHEMA_5);
    db.exec('drop index conversations_by_number; alter table conversations drop column business_phone_number_id;');
    db.pragma('user_version = 2');
    db.close();

    db = openCacheDatabase(dir, key);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_MIGRATIONS.length);
      expect(wordsInSegments(db)).toEqual([]);
      expect(new InboxCache(db).search(teamViewer(7, 'agent'), 'entirely', 10).map((hit) => hit.conversationId)).toEqual([2]);
    } finally {
      db.close();
    }
  });
});
