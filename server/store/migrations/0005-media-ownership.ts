import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * An outbound file belongs to the agent who uploaded it until it is sent, then to the one
 * conversation it went to: `uploaded_by_agent_id`, `sent_to_conversation_id`. A file sent again is
 * a new row (server/sending/outbound-media.ts), so no row is in two conversations.
 *
 * Existing rows: an outbound file takes the conversation (and sender) of its first message; one
 * that was sent in several conversations is split, one copy per further conversation, its
 * messages there pointed at the copy. Uploads never sent keep no uploader: no agent can send them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('media')
    .addColumn('uploaded_by_agent_id', 'integer', (c) => c.references('agents.id'))
    .execute();
  await db.schema
    .alterTable('media')
    .addColumn('sent_to_conversation_id', 'integer', (c) => c.references('conversations.id'))
    .execute();
  // Which messages carry a file: every download and every send of a file already sent asks.
  await db.schema.createIndex('messages_by_media').on('messages').column('media_id').where(sql.ref('media_id'), 'is not', null).execute();

  const carried = await sql<{ message_id: number; conversation_id: number; sent_by_agent_id: number | null; media_id: number }>`
    SELECT messages.id AS message_id, messages.conversation_id, messages.sent_by_agent_id, media.id AS media_id
    FROM messages INNER JOIN media ON media.id = messages.media_id
    WHERE media.direction = 'outbound'
    ORDER BY messages.id`.execute(db);
  const conversationsOf = new Map<number, Map<number, number | null>>();
  for (const row of carried.rows) {
    const conversations = conversationsOf.get(row.media_id) ?? new Map<number, number | null>();
    if (!conversations.has(row.conversation_id)) conversations.set(row.conversation_id, row.sent_by_agent_id);
    conversationsOf.set(row.media_id, conversations);
  }
  for (const [mediaId, conversations] of conversationsOf) {
    const [[first, sender] = [], ...others] = [...conversations];
    if (first === undefined) continue;
    await sql`UPDATE media SET sent_to_conversation_id = ${first}, uploaded_by_agent_id = ${sender ?? null} WHERE id = ${mediaId}`.execute(db);
    for (const [conversationId, sentBy] of others) {
      const copy = await sql<{ id: number }>`
        INSERT INTO media (direction, kind, graph_media_id, mime_type, declared_sha256, declared_size, filename, animated, state, sha256, size,
          attempts, next_attempt_at, last_error_code, last_error, graph_uploaded_at, created_at, updated_at, uploaded_by_agent_id, sent_to_conversation_id)
        SELECT direction, kind, graph_media_id, mime_type, declared_sha256, declared_size, filename, animated, state, sha256, size,
          attempts, next_attempt_at, last_error_code, last_error, graph_uploaded_at, created_at, updated_at, ${sentBy ?? null}, ${conversationId}
        FROM media WHERE id = ${mediaId}
        RETURNING id`.execute(db);
      const copyId = copy.rows[0]?.id;
      if (copyId === undefined) throw new Error(`media ${mediaId} could not be copied`);
      await sql`UPDATE messages SET media_id = ${copyId} WHERE media_id = ${mediaId} AND conversation_id = ${conversationId}`.execute(db);
    }
  }
}
