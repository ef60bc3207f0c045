/**
 * Adding an internal note: by an agent who may see the conversation, its text checked
 * (common/notes/note-text.ts), each `@username` it mentions resolved to an active agent who may
 * see the conversation too. A mention of a name that is no agent, or of an agent who may not see
 * the conversation, refuses the whole note (nothing is stored, nobody is told): the writer learns
 * at once that the colleague would not be notified, instead of believing they were. A note
 * mentioning its own author keeps the name as text and tells nobody. The note's feed event is
 * written by the store (migration 0015); nothing here reaches the Cloud API or the outbound queue.
 */
import type { CardRefusals } from '../../common/cards/outbound-cards.js';
import type { Kysely } from 'kysely';
import type { ConversationPlace, ConversationViewer } from '../../common/api/conversation-access.js';
import type { AddNoteBody, NoteAgent, NoteAdded } from '../../common/api/notes.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { checkedNoteBody, MAX_NOTE_MENTIONS, mentionedUsernames } from '../../common/notes/note-text.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { agentsWhoMaySee, visibleConversation } from '../inbox/visible-conversation.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import type { NoteViews } from './note-views.js';

export interface NoteServiceDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly notes: NoteViews;
  /** Card numbers in what agents write (common/cards/outbound-cards.ts). */
  readonly cards: CardRefusals;
  readonly now: () => number;
}

const listed = (usernames: readonly string[]) => usernames.map((username) => `@${username}`).join(', ');

export class NoteService {
  readonly #deps: NoteServiceDeps;

  constructor(deps: NoteServiceDeps) {
    this.#deps = deps;
  }

  /** The agents a note in this conversation may mention (those who may see it), if the viewer may see it. */
  async mentionable(viewer: ConversationViewer, conversationId: number): Promise<NoteAgent[]> {
    const conversation = await visibleConversation(this.#deps.views, viewer, conversationId);
    return (await agentsWhoMaySee(this.#deps.db, conversation)).map(({ agentId, username, displayName }) => ({ agentId, username, displayName }));
  }

  async add(author: ConversationViewer, conversationId: number, request: AddNoteBody): Promise<NoteAdded> {
    const { db, committer, views, notes, now } = this.#deps;
    const conversation = await visibleConversation(views, author, conversationId);
    const body = checkedNoteBody(request.body);
    await this.#deps.cards.refuse('note', [body], { agentId: author.agentId, conversationId });
    const named = mentionedUsernames(body);
    if (named.length > MAX_NOTE_MENTIONS) {
      throw new CodedError('note_mentions_too_many', `A note may mention at most ${MAX_NOTE_MENTIONS} colleagues; this one names ${named.length}.`);
    }
    const mentioned = await this.#mentioned(db, conversation, author, named);
    const added = await committer.submit(async (trx) => {
      const inserted = await trx
        .insertInto('notes')
        .values({ conversation_id: conversationId, author_agent_id: author.agentId, body, client_note_id: request.clientNoteId, created_at: now() })
        .onConflict((conflict) => conflict.columns(['author_agent_id', 'client_note_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted === undefined) {
        const earlier = await trx
          .selectFrom('notes')
          .select(['id', 'conversation_id', 'body'])
          .where('author_agent_id', '=', author.agentId)
          .where('client_note_id', '=', request.clientNoteId)
          .executeTakeFirstOrThrow();
        if (earlier.conversation_id !== conversationId || earlier.body !== body) {
          throw new CodedError('idempotency_key_reused', 'This clientNoteId was already used for a different note; use a new one for a new note.');
        }
        return { id: earlier.id, duplicate: true };
      }
      if (mentioned.length > 0) {
        await trx
          .insertInto('note_mentions')
          .values(mentioned.map((agentId, position) => ({ note_id: inserted.id, agent_id: agentId, position })))
          .execute();
      }
      return { id: inserted.id, duplicate: false };
    });
    const note = await notes.note(added.id);
    if (note === undefined) throw new CodedError('internal_error', 'The note was stored but could not be read back.');
    return { note, duplicate: added.duplicate };
  }

  /** The agents the names stand for, in the text's order; the author's own name is text only. */
  async #mentioned(db: Kysely<InboxDatabase>, conversation: ConversationPlace, author: ConversationViewer, usernames: readonly string[]): Promise<number[]> {
    if (usernames.length === 0) return [];
    const known = await db
      .selectFrom('agents')
      .select(['id', 'username'])
      .where('username', 'in', [...usernames])
      .execute();
    const unknown = usernames.filter((username) => !known.some((agent) => agent.username === username));
    if (unknown.length > 0) {
      throw new CodedError(
        'note_mention_unknown',
        `${listed(unknown)} ${unknown.length === 1 ? 'is' : 'are'} not the username of anyone on this desk: pick colleagues from the list that opens as you type @.`,
        { usernames: unknown },
      );
    }
    const mayBeTold = new Set((await agentsWhoMaySee(db, conversation)).map((agent) => agent.username));
    const others = usernames.filter((username) => known.some((agent) => agent.username === username && agent.id !== author.agentId));
    const refused = others.filter((username) => !mayBeTold.has(username));
    if (refused.length > 0) {
      throw new CodedError(
        'note_mention_not_permitted',
        `${listed(refused)} may not see this conversation, so this note cannot mention ${refused.length === 1 ? 'them' : 'them all'}: nothing was added. Remove the mention, or hand the conversation over first.`,
        { usernames: refused },
      );
    }
    return others.map((username) => known.find((agent) => agent.username === username)?.id ?? 0).filter((id) => id > 0);
  }
}
