import { useTranslation } from 'react-i18next';
import { ScreenCard } from '../components/ScreenCard.js';

export function StartingScreen() {
  const { t } = useTranslation();
  return (
    <ScreenCard title={t('starting.title')}>
      <p className="busy" role="status">
        {t('starting.checking')}
      </p>
    </ScreenCard>
  );
}
