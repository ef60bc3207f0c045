/**
 * Message text with its links as buttons, never anchors: nothing in the renderer navigates. A
 * click asks main to open the link, and main shows the real host and asks the agent first.
 */
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

const LINK = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Sentence punctuation right after a link belongs to the sentence. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

type Piece = { readonly text: string; readonly url: string | null };

export function splitLinks(text: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    const start = match.index;
    if (start > last) pieces.push({ text: text.slice(last, start), url: null });
    pieces.push({ text: url, url });
    last = start + url.length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), url: null });
  return pieces;
}

export function useOpenLink() {
  return useAction((url: string) => window.sportello.openLink({ url }));
}

export function LinkButton({ url, children, onOpen }: { url: string; children: string; onOpen: (url: string) => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="message-link" onClick={() => onOpen(url)} title={t('links.opensOutside')}>
      {children}
    </button>
  );
}

export function LinkedText({ text, className }: { text: string; className?: string }) {
  const openLink = useOpenLink();
  return (
    <>
      <p className={`message-text ${className ?? ''}`}>
        {splitLinks(text).map((piece, index) => (
          <Fragment key={index}>
            {piece.url === null ? piece.text : <LinkButton url={piece.url} onOpen={(url) => void openLink.run(url)}>{piece.text}</LinkButton>}
          </Fragment>
        ))}
      </p>
      <ErrorNotice problem={openLink.failure} />
    </>
  );
}
