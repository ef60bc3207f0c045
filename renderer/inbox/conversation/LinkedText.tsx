/**
 * Message text with its links as buttons, never anchors: nothing in the renderer navigates. Which
 * runs are links, and what is suspicious about each, is common/links' rule with the safety
 * policy (common/links/policy-links.ts), the same main applies before it opens one. A flagged
 * link carries a marker and its reasons in words; a refused one (a blocked host, a shortener
 * the policy refuses) is struck through and is no button; an http link is marked text. A click
 * asks main to open the link, and main shows the real host and asks the agent first.
 */
import { Fragment, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isOpenableLink } from '../../../common/links/link-policy.js';
import { judgeInboundWithPolicy, markInboundText } from '../../../common/links/policy-links.js';
import type { MarkedPiece } from '../../../common/links/policy-links.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useSafetyPolicy } from '../safety/safety-policy-context.js';

export function useOpenLink() {
  return useAction((url: string) => window.sportello.openLink({ url }));
}

export function LinkButton({ url, children, onOpen, describedBy }: { url: string; children: string; onOpen: (url: string) => void; describedBy?: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="message-link" onClick={() => onOpen(url)} title={t('links.opensOutside')} aria-describedby={describedBy}>
      {children}
    </button>
  );
}

function FlaggedLink({ piece, id, onOpen }: { piece: MarkedPiece; id: string; onOpen: (url: string) => void }) {
  const { t } = useTranslation();
  const { flags, refused } = piece.verdict;
  const reasons = flags.map((flag) => t(`links.flags.${flag}`)).join('; ');
  const link =
    piece.opens && piece.link !== null ? (
      <LinkButton url={piece.link} onOpen={onOpen} describedBy={id}>
        {piece.text}
      </LinkButton>
    ) : refused ? (
      <del className="message-link-refused" aria-describedby={id}>
        {piece.text}
      </del>
    ) : (
      <span className="message-link-text" aria-describedby={id}>
        {piece.text}
      </span>
    );
  return (
    <span className={`link-flagged${refused ? ' link-refused' : ''}`}>
      {link}{' '}
      <span className="link-flag" id={id}>
        <span aria-hidden="true">⚠</span> {refused ? t('links.refused') : t('links.warning')}: {reasons}
      </span>
    </span>
  );
}

/** One address a message carries on its own (a shared location's page), judged as a link in text is. */
export function JudgedUrl({ url, onOpen }: { url: string; onOpen: (url: string) => void }) {
  const policy = useSafetyPolicy();
  const id = useId();
  const verdict = judgeInboundWithPolicy(url, policy.links);
  if (verdict.flags.includes('not_a_web_address')) return <>{url}</>;
  if (verdict.flags.length === 0)
    return (
      <LinkButton url={url} onOpen={onOpen}>
        {url}
      </LinkButton>
    );
  return <FlaggedLink piece={{ text: url, link: url, opens: isOpenableLink(url) && !verdict.refused, verdict }} id={id} onOpen={onOpen} />;
}

export function LinkedText({ text, className }: { text: string; className?: string }) {
  const openLink = useOpenLink();
  const policy = useSafetyPolicy();
  const seed = useId();
  const open = (url: string) => void openLink.run(url);
  return (
    <>
      <p className={`message-text ${className ?? ''}`}>
        {markInboundText(text, policy.links).map((piece, index) => (
          <Fragment key={index}>
            {piece.link === null ? (
              piece.text
            ) : piece.verdict.flags.length > 0 ? (
              <FlaggedLink piece={piece} id={`${seed}-flag-${index}`} onOpen={open} />
            ) : (
              <LinkButton url={piece.link} onOpen={open}>
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
