/**
 * What the composer's two pickers share (the note's @mention list and the reply's `/` quick
 * replies): the box's text with the caret put after what was picked, and the combobox keys
 * (the arrows move, Enter or Tab picks, Escape closes).
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, RefObject } from 'react';

/** A list offered in a text box, as the keys drive it. */
export interface TextPickerKeys<T> {
  readonly options: readonly T[];
  readonly active: number;
  readonly move: (by: number) => void;
  readonly close: () => void;
}

/** The box's text, and `replace`, which sets it and puts the caret at `caret` once the box holds it (before anything else is typed). */
export function usePickedText(box: RefObject<HTMLTextAreaElement | null>) {
  const [text, setText] = useState('');
  const caretAfter = useRef<number | null>(null);
  useLayoutEffect(() => {
    const caret = caretAfter.current;
    if (caret === null) return;
    caretAfter.current = null;
    box.current?.setSelectionRange(caret, caret);
  }, [text, box]);
  const replace = (picked: { text: string; caret: number }) => {
    caretAfter.current = picked.caret;
    setText(picked.text);
  };
  return { text, setText, replace };
}

/** Handles the key if the list is open and the key is one of its own; true when it did. */
export function pickerKey<T>(event: KeyboardEvent<HTMLTextAreaElement>, picker: TextPickerKeys<T>, choose: (option: T) => void): boolean {
  if (picker.options.length === 0) return false;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    picker.move(event.key === 'ArrowDown' ? 1 : -1);
    return true;
  }
  if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
    event.preventDefault();
    const option = picker.options[picker.active];
    if (option !== undefined) choose(option);
    return true;
  }
  if (event.key === 'Escape') {
    event.preventDefault();
    picker.close();
    return true;
  }
  return false;
}
