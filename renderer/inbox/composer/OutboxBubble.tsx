/**
 * A message of ours that the server has not stored yet: what was written, whether it waits for
 * the network or is being sent, and when the server refused it, why, with Retry and Discard (or, for
 * one held as looking like it carries a code, Send anyway: sent again with the agent's confirmation).
 */
import { useTranslation } from 'react-i18next';
import type { OutboxEntry } from '../../../common/ipc/contract.js';
import { useAction } from '../../api/use-action.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { LinkedText } from '../conversation/LinkedText.js';
import type { Outbox } from './use-outbox.js';

function ComposedContent({ compose }: { compose: OutboxEntry['compose'] }) {
  const { t } = useTranslation();
  switch (compose.kind) {
    case 'text':
      return <LinkedText text={compose.text} />;
    case 'media':
      return (
        <>
          <p className="media-state">{t('outbox.attachment')}</p>
          {compose.caption === undefined ? null : <LinkedText text={compose.caption} className="caption" />}
        </>
      );
    case 'template':
      return <p className="structured-label">{t('template.sent', { name: compose.name, language: compose.languageCode })}</p>;
    case 'reaction':
      return <p className="system-notice">{t('reaction.added', { emoji: compose.emoji })}</p>;
  }
}

export function OutboxBubble({ entry, outbox }: { entry: OutboxEntry; outbox: Outbox }) {
  const { t } = useTranslation();
  const { clientMessageId } = entry;
  const retry = useAction(() => window.sportello.retryOutbox({ clientMessageId }), outbox.record);
  // Held by the server as looking like it carries a code: the agent may send it as it is, confirmed.
  const sendAnyway = useAction(() => window.sportello.retryOutbox({ clientMessageId, confirmedCode: true }), outbox.record);
  const heldForCode = entry.error?.code === 'code_needs_confirmation';
  const discard = useAction(
    () => window.sportello.discardOutbox({ clientMessageId }),
    () => outbox.forget(clientMessageId),
  );
  const failed = entry.state === 'failed';
  return (
    <div className={`message message-outbound ${failed ? 'message-refused' : 'message-waiting'}`} data-client-message-id={clientMessageId}>
      <article className="bubble" aria-label={t('message.fromUs')}>
        <ComposedContent compose={entry.compose} />
        <footer className="message-meta">
          {failed ? (
            <span className="outbox-refused">{t('outbox.refused')}</span>
          ) : (
            <span className="ticks ticks-pending" role="img" aria-label={t(`outbox.${entry.state}`)} title={t(`outbox.${entry.state}`)}>
              ◷
            </span>
          )}
        </footer>
        {failed ? (
          <>
            <ErrorNotice problem={entry.error} />
            <div className="actions">
              <button type="button" className="button-secondary" onClick={() => void discard.run()} disabled={discard.pending}>
                {t('outbox.discard')}
              </button>
              {heldForCode ? (
                <button type="button" className="button-danger" onClick={() => void sendAnyway.run()} disabled={sendAnyway.pending}>
                  {t('codeHold.sendAnyway')}
                </button>
              ) : (
                <button type="button" className="button-primary" onClick={() => void retry.run()} disabled={retry.pending}>
                  {t('outbox.retry')}
                </button>
              )}
            </div>
          </>
        ) : null}
        <ErrorNotice problem={retry.failure ?? sendAnyway.failure ?? discard.failure} />
      </article>
    </div>
  );
}
