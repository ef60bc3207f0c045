/**
 * An internal note in the conversation's history: across the log rather than a chat bubble on
 * either side, in the note colours, labelled "Internal note", with who wrote it and when, and
 * its mentions marked. Never something the customer sees, and it must not look like it.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoteView } from '../../../common/api/notes.js';
import { mentionsAt } from '../../../common/notes/note-text.js';
import { MessageTime } from '../conversation/MessageTime.js';

/** The note's text with each mention that named a colleague marked. */
function NoteText({ note }: { note: NoteView }) {
  const named = new Set(note.mentions.map((mention) => mention.username));
  const parts: Array<{ text: string; mention: boolean }> = [];
  let at = 0;
  for (const mention of mentionsAt(note.body)) {
    if (!named.has(mention.username)) continue;
    if (mention.start > at) parts.push({ text: note.body.slice(at, mention.start), mention: false });
    parts.push({ text: note.body.slice(mention.start, mention.end), mention: true });
    at = mention.end;
  }
  if (at < note.body.length) parts.push({ text: note.body.slice(at), mention: false });
  return (
    <p className="note-text">
      {parts.map((part, index) =>
        part.mention ? (
          <strong key={index} className="note-mention">
            {part.text}
          </strong>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </p>
  );
}

export const NoteCard = memo(function NoteCard({ note, selfId }: { note: NoteView; selfId: number }) {
  const { t } = useTranslation();
  const mentionsMe = note.mentions.some((mention) => mention.agentId === selfId);
  return (
    <div className="note-row" data-note-id={note.id}>
      <article className={`note-card${mentionsMe ? ' note-mentions-me' : ''}`} aria-label={t('notes.cardLabel', { name: note.author.displayName })}>
        <header className="note-head">
          <span className="note-label">{t('notes.label')}</span>
          <span className="note-author">{note.author.displayName}</span>
          <MessageTime at={note.createdAt} />
          {mentionsMe ? <span className="note-for-me">{t('notes.mentionsYou')}</span> : null}
        </header>
        <NoteText note={note} />
        <p className="note-private">{t('notes.private')}</p>
      </article>
    </div>
  );
});
