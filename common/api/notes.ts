/**
 * Internal notes as the client API serves them: written in a conversation by an agent who may see
 * it, read by those who may see it, never sent to the customer. A note's `@name` mentions notify
 * the agents named (common/notes/note-text.ts).
 */
import { z } from 'zod';
import { NOTE_TEXT_BOUND } from '../notes/note-text.js';
import { Cursor, page } from './inbox.js';

const Id = z.number().int().positive();

/** An agent as a note names them: its author, a mention, a name the composer offers. */
export const NoteAgent = z.object({ agentId: Id, username: z.string(), displayName: z.string() });
export type NoteAgent = z.infer<typeof NoteAgent>;

export const NoteView = z.object({
  id: Id,
  conversationId: Id,
  author: NoteAgent,
  body: z.string(),
  createdAt: z.number().int(),
  /** The agents the note mentions (each was told), in the order the text names them. */
  mentions: z.array(NoteAgent),
});
export type NoteView = z.infer<typeof NoteView>;

export const NotePage = page(NoteView);
export type NotePage = z.infer<typeof NotePage>;

/** Pages go from the newest note back in time. */
export const NoteListQuery = z.object({
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** POST /v1/conversations/:id/notes. `clientNoteId`: made once per note by the writer, so a retry adds it once. */
export const AddNoteBody = z.object({
  clientNoteId: z.uuid('clientNoteId must be a UUID'),
  body: z.string().max(NOTE_TEXT_BOUND, `body must be at most ${NOTE_TEXT_BOUND} characters`),
});
export type AddNoteBody = z.infer<typeof AddNoteBody>;

export const NoteAdded = z.object({ note: NoteView, duplicate: z.boolean() });
export type NoteAdded = z.infer<typeof NoteAdded>;

/** The agents a note in this conversation may mention: those who may see it. */
export const MentionableAgents = z.object({ agents: z.array(NoteAgent) });
export type MentionableAgents = z.infer<typeof MentionableAgents>;
