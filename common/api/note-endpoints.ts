/** The client API's internal notes: list, add, one by id, and whom a note may mention. Every route answers only to someone who may see the conversation. */
import { jsonRoute } from './endpoint.js';
import { IdParams } from './inbox.js';
import { AddNoteBody, MentionableAgents, NoteAdded, NoteListQuery, NotePage, NoteView } from './notes.js';

export const NOTE_ENDPOINTS = {
  listNotes: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/notes',
    summary: 'A conversation’s internal notes, newest first (never sent to the customer)',
    tag: 'notes',
    access: 'inbox',
    params: IdParams,
    query: NoteListQuery,
    response: NotePage,
  }),
  addNote: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/notes',
    summary:
      'Add an internal note: kept on the server and shown to those who may see the conversation, never sent to the customer; each @username it mentions is told, and a mention of someone who may not see the conversation is refused',
    tag: 'notes',
    access: 'inbox',
    params: IdParams,
    body: AddNoteBody,
    response: NoteAdded,
    successStatus: 201,
  }),
  getNote: jsonRoute({
    method: 'GET',
    url: '/v1/notes/:id',
    summary: 'One internal note, of a conversation this session may see',
    tag: 'notes',
    access: 'inbox',
    params: IdParams,
    response: NoteView,
  }),
  listMentionable: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/mentionable',
    summary: 'The agents a note in this conversation may mention: the active agents who may see it',
    tag: 'notes',
    access: 'inbox',
    params: IdParams,
    response: MentionableAgents,
  }),
};
