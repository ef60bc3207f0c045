import { useTranslation } from 'react-i18next';
import { hoursAndMinutes } from '../../components/time-format.js';
import type { ServiceWindow } from './service-window.js';

/** "Open · 5 h 12 min left" or "Closed: template needed". */
export function WindowBadge({ state }: { state: ServiceWindow }) {
  const { t } = useTranslation();
  if (!state.open) return <span className="window-badge window-closed">{t('window.closed')}</span>;
  return <span className="window-badge window-open">{t('window.open', hoursAndMinutes(state.msLeft))}</span>;
}
