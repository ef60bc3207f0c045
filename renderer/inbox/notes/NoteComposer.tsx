/**
 * Writes an internal note for colleagues: never sent to the customer, whatever the 24-hour
 * window. `@` opens the list of colleagues who may see the conversation (a combobox: the arrows
 * move, Enter or Tab picks, Escape closes); Enter adds the note, Shift+Enter starts a new line.
 */
import { CardNumberWarning, useCardNumberBlock } from '../safety/CardNumberWarning.js';
import { useId, useRef } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoteAgent, NoteView } from '../../../common/api/notes.js';
import { MAX_NOTE_LENGTH } from '../../../common/notes/note-text.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { pickerKey, usePickedText } from '../../components/text-picker.js';
import { useIdempotencyKey } from '../composer/use-idempotency-key.js';
import { useMentionPicker } from './use-mention-picker.js';

interface NoteComposerProps {
  readonly conversationId: number;
  readonly selfId: number;
  /** The note as the server stored it. */
  readonly onAdded: (note: NoteView) => void;
}

export function NoteComposer({ conversationId, selfId, onAdded }: NoteComposerProps) {
  const { t } = useTranslation();
  const textId = useId();
  const listId = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const { text, setText, replace } = usePickedText(box);
  const picker = useMentionPicker(conversationId, selfId);
  const { keyFor, sent } = useIdempotencyKey();
  const add = useAction((body: string, clientNoteId: string) => window.sportello.addNote({ conversationId, clientNoteId, body }));
  const open = picker.options.length > 0;
  const cardBlocked = useCardNumberBlock(text);

  const submit = async () => {
    if (text.trim() === '' || add.pending || cardBlocked) return;
    const note = await add.run(text, keyFor(`${conversationId}:${text}`));
    if (note === null) return;
    sent();
    setText('');
    picker.close();
    onAdded(note);
  };

  const choose = (agent: NoteAgent) => {
    const picked = picker.pick(text, agent);
    if (picked !== undefined) replace(picked);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (pickerKey(event, picker, choose)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };
  const optionId = (agent: NoteAgent) => `${listId}-${agent.agentId}`;
  const activeAgent = open ? picker.options[picker.active] : undefined;

  return (
    <form className="composer note-composer" onSubmit={onSubmit} aria-label={t('notes.formLabel')}>
      <p className="note-composer-hint">{t('notes.composerHint')}</p>
      <ErrorNotice problem={add.failure ?? picker.failure} />
      <CardNumberWarning blocked={cardBlocked} />
      <div className="composer-row note-composer-row">
        <label htmlFor={textId} className="visually-hidden">
          {t('notes.textLabel')}
        </label>
        <div className="mention-anchor">
          <textarea
            id={textId}
            ref={box}
            className="composer-text"
            value={text}
            rows={2}
            maxLength={MAX_NOTE_LENGTH}
            placeholder={t('notes.placeholder')}
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={activeAgent === undefined ? undefined : optionId(activeAgent)}
            onChange={(event) => {
              setText(event.target.value);
              picker.follow(event.target.value, event.target.selectionStart);
            }}
            onSelect={(event) => picker.follow(event.currentTarget.value, event.currentTarget.selectionStart)}
            onBlur={() => picker.close()}
            onKeyDown={onKeyDown}
          />
          <ul id={listId} role="listbox" className="mention-list" aria-label={t('notes.mentionListLabel')} hidden={!open}>
            {picker.options.map((agent, index) => (
              <li
                key={agent.agentId}
                id={optionId(agent)}
                role="option"
                aria-selected={index === picker.active}
                className="mention-option"
                // Picked before the box loses the focus, so the list is still there.
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(agent);
                }}
              >
                <span className="mention-name">{agent.displayName}</span> <span className="mention-username">@{agent.username}</span>
              </li>
            ))}
          </ul>
        </div>
        <button type="submit" className="button-note" disabled={add.pending || cardBlocked}>
          {t('notes.add')}
        </button>
      </div>
    </form>
  );
}
