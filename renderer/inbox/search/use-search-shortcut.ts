/**
 * Ctrl+K or ⌘K, or "/", anywhere in the inbox puts the cursor in the search box. "/" is
 * left alone while the agent types in a field, and nothing is taken while a dialog is open or the
 * box is out of sight (an admin screen is shown).
 */
import { useEffect } from 'react';
import type { RefObject } from 'react';
import { isTyping } from '../../components/is-typing.js';

/** How the hint names the shortcut on this computer. */
export const SHORTCUT_LABEL = /Mac/.test(navigator.platform) ? '⌘K' : 'Ctrl+K';

function isShortcut(event: KeyboardEvent): boolean {
  if (event.isComposing || event.altKey) return false;
  if (event.key.toLowerCase() === 'k') return event.ctrlKey || event.metaKey;
  return event.key === '/' && !event.ctrlKey && !event.metaKey && !isTyping(event.target);
}

export function useSearchShortcut(box: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const input = box.current;
      if (input === null || event.defaultPrevented || !isShortcut(event)) return;
      if (input.closest('[hidden]') !== null || document.querySelector('dialog[open]') !== null) return;
      event.preventDefault();
      input.focus();
      input.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [box]);
}
