/**
 * Message text with its links as buttons, never anchors: nothing in the renderer navigates. Which
 * runs are links is common/links' rule, the same main applies before it opens one. A click asks
 * main to open the link, and main shows the real host and asks the agent first.
 */
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { splitAtLinks } from '../../../common/links/find-links.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

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
        {splitAtLinks(text).map((piece, index) => (
          <Fragment key={index}>
            {piece.url === null ? (
              piece.text
            ) : (
              <LinkButton url={piece.url} onOpen={(url) => void openLink.run(url)}>
                {piece.text}
              </LinkButton>
            )}
          </Fragment>
        ))}
      </p>
      <ErrorNotice problem={openLink.failure} />
    </>
  );
}
