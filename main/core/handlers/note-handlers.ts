/** The calls of internal notes: a conversation's notes from the cache first, adding one on the server, and whom a note may mention. */
import { checkedNoteBody } from '../../../common/notes/note-text.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type NoteCall = 'listNotes' | 'addNote' | 'listMentionable';

export function noteHandlers(core: CoreContext): HandlerTable<NoteCall> {
  return {
    listNotes: ({ conversationId, cursor, limit }) => core.inbox().read((sync) => sync.notes(conversationId, cursor, limit ?? 50)),
    addNote: ({ conversationId, clientNoteId, body }) => {
      // The server judges the text again; checked here, an empty or long note is refused without a trip.
      checkedNoteBody(body);
      return core.inbox().read((sync) => sync.addNote(conversationId, { clientNoteId, body }));
    },
    listMentionable: ({ conversationId }) => core.inbox().call((token) => core.api().mentionable(token, conversationId)),
  };
}
