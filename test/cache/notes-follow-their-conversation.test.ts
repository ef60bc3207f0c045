/**
 * Internal notes in the cache, on real SQLCipher files: kept from the feed (a note, and the note a
 * mention carries) and from pages, listed newest first, found by the search with accents ignored,
 * and gone with their conversation when the feed says it left this agent (their words out of the
 * search index's segments too), or when the cache reloads; a note older than that word never
 * comes back.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { InboxCache } from '../../main/cache/inbox-cache.js';
import { NoteCache } from '../../main/cache/note-cache.js';
import { conversationView, noteView, teamViewer } from '../helpers/cache-rows.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ANNA = teamViewer(1);
const SECRET = 'quagliettasegreta';

const temps: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function open() {
  const temp = makeTempDir('sportello-notes-cache-');
  temps.push(temp);
  const db = openCacheDatabase(temp.dir, crypto.randomBytes(32));
  const notes = new NoteCache(db);
  const inbox = new InboxCache(db, { notes });
  return { db, notes, inbox };
}

const noteIds = (db: ReturnType<typeof openCacheDatabase>) =>
  (db.prepare('select id from notes order by id').all() as Array<{ id: number }>).map((row) => row.id);
const segmentsHold = (db: ReturnType<typeof openCacheDatabase>, word: string) =>
  (db.prepare('select block from notes_fts_data').all() as Array<{ block: Buffer | null }>).some((row) =>
    (row.block ?? Buffer.alloc(0)).includes(Buffer.from(word)),
  );

describe('notes in the cache', () => {
  it('are kept from the feed and from pages, listed newest first and found by their words', () => {
    const { db, notes, inbox } = open();
    try {
      inbox.storePage({ conversations: [conversationView(1, { customer: { contactId: 1, name: 'Marta Rossi', phone: null, username: null } })] }, 1);
      inbox.applyFeed(
        [
          { type: 'note', seq: 2, note: noteView(20, 1, 'Il cliente è già stato rimborsato') },
          {
            type: 'mention',
            seq: 3,
            conversation: conversationView(1),
            note: noteView(21, 1, '@anna chiama il corriere', { mentions: [{ agentId: 1, username: 'anna', displayName: 'Anna' }] }),
          },
        ],
        3,
      );
      notes.store([noteView(19, 1, 'Prima nota')], 1);
      expect(notes.listNotes(1, undefined, 2).items.map((note) => note.id)).toEqual([21, 20]);
      const rest = notes.listNotes(1, notes.listNotes(1, undefined, 2).nextCursor ?? undefined, 2);
      expect(rest).toEqual({ items: [noteView(19, 1, 'Prima nota')], nextCursor: null });
      const hits = notes.search(ANNA, 'gia rimbors', 10);
      expect(hits).toEqual([
        {
          kind: 'note',
          conversationId: 1,
          messageId: null,
          noteId: 20,
          sentAt: noteView(20, 1, '').createdAt,
          direction: null,
          title: 'Marta Rossi',
          fragments: [
            { text: 'Il cliente è ', match: false },
            { text: 'già', match: true },
            { text: ' stato ', match: false },
            { text: 'rimborsato', match: true },
          ],
        },
      ]);
      // A later state of a note replaces it; an older one does not.
      inbox.applyFeed([{ type: 'note', seq: 1, note: noteView(20, 1, 'stale') }], 3);
      expect(notes.listNotes(1, undefined, 10).items.find((note) => note.id === 20)?.body).toBe('Il cliente è già stato rimborsato');
    } finally {
      db.close();
    }
  });

  it('go with a conversation that left this agent, words and all, and an older one never comes back', () => {
    const { db, notes, inbox } = open();
    try {
      inbox.storePage({ conversations: [conversationView(1), conversationView(2)] }, 1);
      inbox.applyFeed(
        [
          { type: 'note', seq: 2, note: noteView(20, 1, `parola ${SECRET}`) },
          { type: 'note', seq: 3, note: noteView(30, 2, 'resta qui') },
        ],
        3,
      );
      expect(segmentsHold(db, SECRET)).toBe(true);
      inbox.applyFeed([{ type: 'conversation_hidden', seq: 4, conversationId: 1 }], 4);
      expect(noteIds(db)).toEqual([30]);
      expect(segmentsHold(db, SECRET)).toBe(false);
      expect(notes.search(teamViewer(1, 'supervisor'), SECRET, 10)).toEqual([]);
      // A page or an event older than the word that it left brings nothing back.
      notes.store([noteView(20, 1, `parola ${SECRET}`)], 3);
      inbox.applyFeed([{ type: 'note', seq: 3, note: noteView(22, 1, 'tardiva') }], 4);
      expect(noteIds(db)).toEqual([30]);
      // Given back later: newer notes of it are kept again.
      inbox.applyFeed([{ type: 'note', seq: 5, note: noteView(23, 1, 'di nuovo sua') }], 5);
      expect(noteIds(db)).toEqual([23, 30]);
    } finally {
      db.close();
    }
  });

  it('go when the cache reloads every conversation, and with a conversation forgotten for a gap', () => {
    const { db, notes, inbox } = open();
    try {
      inbox.storePage({ conversations: [conversationView(1), conversationView(2)] }, 1);
      notes.store([noteView(20, 1, 'uno'), noteView(30, 2, 'due')], 1);
      inbox.forgetConversations([1]);
      expect(noteIds(db)).toEqual([30]);
      inbox.forgetAllConversations();
      expect(noteIds(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('are found only in conversations the viewer may see', () => {
    const { db, notes, inbox } = open();
    try {
      inbox.storePage({ conversations: [conversationView(1, { assignedAgentId: 2 }), conversationView(2, { assignedAgentId: 1 })] }, 1);
      notes.store([noteView(20, 1, 'corriere lento'), noteView(30, 2, 'corriere veloce')], 1);
      expect(notes.search(ANNA, 'corriere', 10).map((hit) => hit.noteId)).toEqual([30]);
      expect(notes.search(teamViewer(9, 'supervisor'), 'corriere', 10).map((hit) => hit.noteId)).toEqual([30, 20]);
    } finally {
      db.close();
    }
  });
});
