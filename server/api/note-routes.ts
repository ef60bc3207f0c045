/** The handlers of the client API's internal notes (common/api/note-endpoints.ts): each answers only about a conversation the session may see. */
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { NOTE_ENDPOINTS } from '../../common/api/note-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { NoteService } from '../notes/note-service.js';
import type { NoteViews } from '../notes/note-views.js';
import type { Handlers } from './api-route.js';

export interface NoteRouteDeps {
  readonly views: InboxViews;
  readonly notes: NoteViews;
  readonly noteService: NoteService;
}

export function noteHandlers(deps: NoteRouteDeps): Handlers<typeof NOTE_ENDPOINTS> {
  return {
    listNotes: async ({ params, query, principal }) => {
      await visibleConversation(deps.views, principal, params.id);
      return deps.notes.listNotes(params.id, query.cursor, query.limit);
    },
    addNote: ({ params, body, principal }) => deps.noteService.add(principal, params.id, body),
    getNote: async ({ params, principal }) => {
      const note = await deps.notes.note(params.id);
      const conversation = note === undefined ? undefined : await deps.views.conversation(note.conversationId);
      // A note of a conversation the session may not see is "not found", as the conversation is.
      if (note === undefined || conversation === undefined || !maySeeConversation(principal, conversation))
        throw new CodedError('note_not_found', `There is no note ${params.id} you may see.`);
      return note;
    },
    listMentionable: async ({ params, principal }) => ({ agents: await deps.noteService.mentionable(principal, params.id) }),
  };
}
