/**
 * Starts the renderer: picks the language (the one chosen before, else the OS locale main
 * reports), then renders the app. Everything it shows comes from main through window.sportello.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { startI18n } from './i18n/i18n.js';
import { initialLanguage, rememberSystemLocale } from './i18n/language.js';
import './styles/base.css';
import './styles/forms.css';
import './styles/screens.css';
import './styles/inbox.css';
import './styles/messages.css';
import './styles/links.css';
import './styles/lifecycle.css';
import './styles/desk.css';
import './styles/admin.css';
import './styles/replies.css';
import './styles/personal-data.css';
import './styles/templates.css';
import './styles/schedule.css';
import './styles/analytics.css';
import './styles/print.css';

const info = await window.sportello.getInfo({});
const osLocale = info.ok ? info.value.osLocale : navigator.language;
rememberSystemLocale(osLocale);
await startI18n(initialLanguage(osLocale));

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
