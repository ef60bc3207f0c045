/**
 * Says that part of a received message could not be read, and where. The server keeps what it
 * held and never sends it: the note names the places only.
 */
import { useTranslation } from 'react-i18next';

export function UnreadableNote({ parts, whole }: { parts: readonly string[]; whole: boolean }) {
  const { t } = useTranslation();
  const places = parts.join(', ');
  return (
    <p className="unreadable-note" role="note">
      {whole ? t('message.unreadableWhole', { parts: places }) : t('message.unreadablePart', { parts: places })}
    </p>
  );
}
