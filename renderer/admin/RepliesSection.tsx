/** The "Replies and labels" section, for administrators (global ones) and supervisors (their teams'): quick replies, then labels. */
import { useTranslation } from 'react-i18next';
import { LabelsPanel } from './LabelsPanel.js';
import { QuickRepliesPanel } from './QuickRepliesPanel.js';

export function RepliesSection() {
  const { t } = useTranslation();
  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.replies')}</h1>
      <QuickRepliesPanel />
      <LabelsPanel />
    </div>
  );
}
