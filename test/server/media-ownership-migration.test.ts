/**
 * Migration 0005 on a store written before it: an outbound file sent in several conversations
 * (what the old send path allowed) is split into one row per conversation, each conversation's
 * messages pointing at its own; a file sent once takes its conversation and sender; an upload
 * never sent and a customer's file are left as they were.
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { DATABASE_FILE, openDatabase } from '../../server/store/open-database.js';
import type { InboxDatabase, MediaTable } from '../../server/store/schema.js';
import { contactRow } from '../helpers/fresh-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BEFORE_0005 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0005'));

function mediaRow(
  direction: 'inbound' | 'outbound',
  sha256: string,
): Omit<
  MediaTable,
  'id' | 'attempts' | 'uploaded_by_agent_id' | 'sent_to_conversation_id' | 'scan_state' | 'scan_reason' | 'scan_signature' | 'scanned_at' | 'rescan_due'
> {
  return {
    direction,
    kind: 'image',
    graph_media_id: direction === 'inbound' ? `in-${sha256}` : 'meta-upload-1',
    mime_type: 'image/png',
    declared_sha256: null,
    declared_size: null,
    filename: 'receipt.png',
    animated: 0,
    state: 'stored',
    sha256: sha256.repeat(64),
    size: 68,
    next_attempt_at: null,
    last_error_code: null,
    last_error: null,
    graph_uploaded_at: direction === 'outbound' ? 5 : null,
    created_at: 1,
    updated_at: 1,
  };
}

describe('migration 0005: media ownership', () => {
  it('splits a file sent in several conversations and records where each was sent', async () => {
    const temp = makeTempDir();
    cleanups.push(() => temp.remove());
    const old = new Kysely<InboxDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(temp.dir, DATABASE_FILE)) }) });
    const migrated = await new Migrator({ db: old, provider: { getMigrations: () => Promise.resolve(BEFORE_0005) } }).migrateToLatest();
    expect(migrated.error).toBeUndefined();

    const agent = await old
      .insertInto('agents')
      // Before 0013 an agent had one `role` column, which today's types no longer name.
      .values({ username: 'anna', display_name: 'Anna', role: 'agent', status: 'active', created_by: 'cli:it', created_at: 1, updated_at: 1 } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const conversations: number[] = [];
    for (const waId of ['391', '392']) {
      const contact = await old.insertInto('contacts').values(contactRow(waId)).returning('id').executeTakeFirstOrThrow();
      const conversation = await old
        .insertInto('conversations')
        .values({
          contact_id: contact.id,
          business_phone_number_id: 'pn',
          last_inbound_at: 1,
          last_message_at: 1,
          last_message_id: null,
          created_at: 1,
          updated_at: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      conversations.push(conversation.id);
    }
    const [first = 0, second = 0] = conversations;
    const shared = (await old.insertInto('media').values(mediaRow('outbound', 'a')).returning('id').executeTakeFirstOrThrow()).id;
    const unsent = (await old.insertInto('media').values(mediaRow('outbound', 'b')).returning('id').executeTakeFirstOrThrow()).id;
    const customers = (await old.insertInto('media').values(mediaRow('inbound', 'c')).returning('id').executeTakeFirstOrThrow()).id;
    const message = (conversationId: number, mediaId: number, direction: 'inbound' | 'outbound', sentBy: number | null) =>
      old
        .insertInto('messages')
        .values({
          wamid: null,
          conversation_id: conversationId,
          direction,
          origin: direction === 'inbound' ? 'customer' : 'agent',
          type: 'image',
          content_json: '{"type":"image","mimeType":"image/png"}',
          meta_json: null,
          context_wamid: null,
          amends_wamid: null,
          media_id: mediaId,
          sent_at: 1,
          received_at: 1,
          status: 'accepted',
          status_rank: 2,
          status_at: 1,
          error_code: null,
          error_title: null,
          error_reason: null,
          idempotency_key: null,
          request_hash: null,
          next_attempt_at: null,
          edited_at: null,
          deleted_at: null,
          raw_json: null,
          sent_by_agent_id: sentBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const inFirst = [await message(first, shared, 'outbound', agent.id), await message(first, shared, 'outbound', agent.id)];
    const inSecond = await message(second, shared, 'outbound', null);
    await message(first, customers, 'inbound', null);
    await old.destroy();

    const store = await openDatabase(temp.dir);
    cleanups.push(() => store.close());
    const db = store.db;
    const media = await db.selectFrom('media').selectAll().orderBy('id').execute();
    expect(media).toHaveLength(4);
    const copy = media.find((row) => row.id > customers);
    expect(media.find((row) => row.id === shared)).toMatchObject({ sent_to_conversation_id: first, uploaded_by_agent_id: agent.id });
    expect(copy).toMatchObject({
      direction: 'outbound',
      sha256: 'a'.repeat(64),
      graph_media_id: 'meta-upload-1',
      sent_to_conversation_id: second,
      uploaded_by_agent_id: null,
    });
    expect(media.find((row) => row.id === unsent)).toMatchObject({ sent_to_conversation_id: null, uploaded_by_agent_id: null });
    expect(media.find((row) => row.id === customers)).toMatchObject({ sent_to_conversation_id: null, uploaded_by_agent_id: null });

    const mediaOf = async (id: number) => (await db.selectFrom('messages').select('media_id').where('id', '=', id).executeTakeFirstOrThrow()).media_id;
    expect(await Promise.all(inFirst.map((row) => mediaOf(row.id)))).toEqual([shared, shared]);
    expect(await mediaOf(inSecond.id)).toBe(copy?.id);
  });
});
