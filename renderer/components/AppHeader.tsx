import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.js';

/** The bar along the top of every screen: the product's name, what the screen adds, the language. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <span className="brand">{t('app.name')}</span>
      <div className="app-header-content">{children}</div>
      <LanguageSwitch />
    </header>
  );
}
