/** One search result as a row: a contact (name and number), or a message or internal note (who, when, the words around the match). */
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../common/ipc/contract.js';
import { useTimeFormat } from '../../components/use-time-format.js';
import { MarkedText } from './MarkedText.js';

export function SearchHitRow({ hit, now }: { hit: SearchHit; now: number }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  if (hit.kind === 'contact') {
    return (
      <span className="search-hit-lines">
        <span className="search-hit-title">
          <MarkedText fragments={hit.fragments} />
        </span>
      </span>
    );
  }
  return (
    <span className="search-hit-lines">
      <span className="search-hit-line">
        <span className="search-hit-title">{hit.title}</span>
        {hit.sentAt === null ? null : <time dateTime={new Date(hit.sentAt).toISOString()}>{time.moment(hit.sentAt, now)}</time>}
      </span>
      <span className="search-hit-snippet">
        {/* As in the conversation list: ours say so, the customer's need no label; a note is never the customer's. */}
        {hit.kind === 'note' ? <span className="note-label note-label-small">{t('notes.label')}</span> : null}
        {hit.direction === 'outbound' ? <span className="preview-sender">{t('conversations.you')} </span> : null}
        <MarkedText fragments={hit.fragments} />
      </span>
    </span>
  );
}
