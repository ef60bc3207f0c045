/**
 * What an internal note may say, and how `@name` mentions are read from it: the same rules on the
 * server (which stores the note and notifies whom it names) and in the renderer (which offers the
 * names while the agent types and marks them in the note shown). A mention is `@` and a username,
 * at the start of the text or after a character that cannot be part of a name, so an e-mail
 * address (`anna@example.com`) mentions nobody. No Node, no DOM.
 */
import { CodedError } from '../errors/coded-error.js';

/** The longest note an agent may write. */
export const MAX_NOTE_LENGTH = 2000;
/** The most the wire carries as a note's text before the policy judges it: a bound on the request, far above the policy. */
export const NOTE_TEXT_BOUND = 16_384;
/** The most names one note may mention. */
export const MAX_NOTE_MENTIONS = 20;

/** A note's text as it is kept: trimmed; refused when empty or too long (codes note_empty, note_too_long). */
export function checkedNoteBody(text: string): string {
  const body = text.trim();
  if (body === '') throw new CodedError('note_empty', 'A note must say something: write the note, then add it.');
  if (body.length > MAX_NOTE_LENGTH) {
    throw new CodedError('note_too_long', `A note may be at most ${MAX_NOTE_LENGTH} characters; this one has ${body.length}.`, {
      maxLength: MAX_NOTE_LENGTH,
    });
  }
  return body;
}

// A mention starts where no letter, digit or name character stands before the `@`.
const MENTION = /(?<![\p{L}\p{N}_.@-])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/gu;

/** A mention found in a text: where it stands, and the username it names (lowercase). */
export interface MentionAt {
  readonly start: number;
  /** Just after the name. */
  readonly end: number;
  readonly username: string;
}

/** Every `@username` in the text, in order; a dot ending a sentence is not part of the name. */
export function mentionsAt(text: string): MentionAt[] {
  const found: MentionAt[] = [];
  for (const match of text.matchAll(MENTION)) {
    const name = (match[1] ?? '').replace(/\.+$/, '');
    if (name.length < 2) continue;
    found.push({ start: match.index, end: match.index + 1 + name.length, username: name.toLowerCase() });
  }
  return found;
}

/** The usernames the text mentions, each once, in the order they first appear. */
export function mentionedUsernames(text: string): string[] {
  return [...new Set(mentionsAt(text).map((mention) => mention.username))];
}

/**
 * The name being typed just before the caret (`@an|` gives "an"), for the composer's list of
 * names; undefined when the caret is not right after a mention being written.
 */
export function mentionBeingTyped(textBeforeCaret: string): { readonly start: number; readonly query: string } | undefined {
  const match = /(?<![\p{L}\p{N}_.@-])@([A-Za-z0-9._-]{0,64})$/u.exec(textBeforeCaret);
  if (match === null) return undefined;
  return { start: match.index, query: (match[1] ?? '').toLowerCase() };
}
