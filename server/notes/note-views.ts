/** Internal notes as the client API and the event feed show them: with their author and the agents they mention, keyset-paginated newest first. */
import type { Kysely } from 'kysely';
import type { NoteAgent, NotePage, NoteView } from '../../common/api/notes.js';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';
import type { InboxDatabase, NoteRow } from '../store/schema.js';

export class NoteViews {
  readonly #db: Kysely<InboxDatabase>;

  constructor(db: Kysely<InboxDatabase>) {
    this.#db = db;
  }

  async note(id: number): Promise<NoteView | undefined> {
    return (await this.notes([id])).get(id);
  }

  async notes(ids: readonly number[]): Promise<Map<number, NoteView>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('notes')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    const views = await this.#views(rows);
    return new Map(views.map((view) => [view.id, view]));
  }

  async listNotes(conversationId: number, cursor: string | undefined, limit: number): Promise<NotePage> {
    let query = this.#db.selectFrom('notes').selectAll().where('conversation_id', '=', conversationId);
    if (cursor !== undefined) {
      const [at, id] = decodePageCursor(cursor) ?? [];
      if (at === undefined || id === undefined) return { items: [], nextCursor: null };
      query = query.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: await this.#views(page), nextCursor: rows.length > limit && last !== undefined ? encodePageCursor([last.created_at, last.id]) : null };
  }

  async #views(rows: readonly NoteRow[]): Promise<NoteView[]> {
    if (rows.length === 0) return [];
    const noteIds = rows.map((row) => row.id);
    const mentions = await this.#db
      .selectFrom('note_mentions')
      .select(['note_id', 'agent_id', 'position'])
      .where('note_id', 'in', noteIds)
      .orderBy('note_id')
      .orderBy('position')
      .execute();
    const agentIds = [...new Set([...rows.map((row) => row.author_agent_id), ...mentions.map((mention) => mention.agent_id)])];
    const agents = await this.#db.selectFrom('agents').select(['id', 'username', 'display_name']).where('id', 'in', agentIds).execute();
    const agentById = new Map(
      agents.map((agent): [number, NoteAgent] => [agent.id, { agentId: agent.id, username: agent.username, displayName: agent.display_name }]),
    );
    const agentOf = (id: number): NoteAgent => agentById.get(id) ?? { agentId: id, username: `#${id}`, displayName: `#${id}` };
    const mentionsByNote = new Map<number, NoteAgent[]>();
    for (const mention of mentions) {
      const list = mentionsByNote.get(mention.note_id) ?? [];
      list.push(agentOf(mention.agent_id));
      mentionsByNote.set(mention.note_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      conversationId: row.conversation_id,
      author: agentOf(row.author_agent_id),
      body: row.body,
      createdAt: row.created_at,
      mentions: mentionsByNote.get(row.id) ?? [],
    }));
  }
}
