/** Under the customer's name: the other agents viewing this conversation, and who of them is typing. */
import { useTranslation } from 'react-i18next';
import type { PresentAgent } from '../../../common/api/presence.js';
import { useLocale } from '../../i18n/use-locale.js';

export function PresenceLine({ others }: { others: readonly PresentAgent[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const names = new Intl.ListFormat(locale, { type: 'conjunction' });
  const typing = others.filter((other) => other.typing).map((other) => other.name);
  const viewing = others.filter((other) => !other.typing).map((other) => other.name);
  const parts = [
    typing.length === 0 ? null : t('presence.typing', { names: names.format(typing), count: typing.length }),
    viewing.length === 0 ? null : t('presence.viewing', { names: names.format(viewing), count: viewing.length }),
  ].filter((part) => part !== null);
  return (
    <p className={`presence-line${typing.length > 0 ? ' presence-typing' : ''}`} role="status" aria-live="polite">
      {parts.join(' · ')}
    </p>
  );
}
