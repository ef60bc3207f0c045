/**
 * The business accounts' message templates as Meta has them (admins and supervisors): each with
 * its language, category (what Meta bills), status and quality, kept current by the `template`
 * event; and the way to WhatsApp Manager, where templates are created: the link opens through
 * main, which asks before it opens the browser, as for every link.
 */
import { useCallback, useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateSync } from '../../common/api/template-endpoints.js';
import type { StoredTemplate } from '../../common/templates/template.js';
import { KNOWN_TEMPLATE_STATUSES } from '../../common/templates/template.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { CategoryBadge } from '../inbox/templates/TemplatePicker.js';
import { AdminTable } from './AdminTable.js';
import { useLoaded } from './use-loaded.js';

/** Meta's WhatsApp Manager, on the account's templates when one is known. */
export function whatsAppManagerUrl(wabaId: string | undefined): string {
  const base = 'https://business.facebook.com/wa/manage/message-templates/';
  return wabaId === undefined ? base : `${base}?waba_id=${encodeURIComponent(wabaId)}`;
}

function useStatusWords() {
  const { t } = useTranslation();
  return (status: string) =>
    (KNOWN_TEMPLATE_STATUSES as readonly string[]).includes(status) ? t(`templates.status.${status}`) : t('templates.status.other', { status });
}

function TemplateRow({ template }: { template: StoredTemplate }) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  const statusWords = useStatusWords();
  return (
    <tr>
      <td>
        <code>{template.name}</code>
        {template.removed ? <span className="status status-inactive status-after">{t('templates.admin.removed')}</span> : null}
      </td>
      <td>{template.language}</td>
      <td>
        <CategoryBadge category={template.category} />
      </td>
      <td>
        <span className={`status template-status-${template.status.toLowerCase()}`}>{statusWords(template.status)}</span>
        {template.statusReason === null ? null : <span className="field-hint"> {template.statusReason}</span>}
      </td>
      <td>
        <span className={`template-quality template-quality-${template.quality.toLowerCase()}`}>{t(`templates.quality.${template.quality}`)}</span>
      </td>
      <td>{format.moment(template.updatedAt)}</td>
      <td />
    </tr>
  );
}

function SyncLine({ sync }: { sync: TemplateSync }) {
  const { t } = useTranslation();
  const format = useTimeFormat();
  if (sync.error !== null) return <li>{t('templates.admin.syncFailed', { account: sync.wabaId, error: sync.error })}</li>;
  if (sync.syncedAt === null) return <li>{t('templates.admin.neverSynced', { account: sync.wabaId })}</li>;
  return <li>{t('templates.admin.synced', { account: sync.wabaId, time: format.moment(sync.syncedAt), count: sync.listed })}</li>;
}

export function TemplatesPanel() {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.listManagedTemplates({}), []);
  const templates = useLoaded(load);
  const { reload } = templates;
  useEffect(() => window.sportello.on('template', reload), [reload]);
  const sync = useAction(() => window.sportello.syncTemplates({}), reload);
  const openManager = useAction(() => window.sportello.openLink({ url: whatsAppManagerUrl(templates.value?.syncs[0]?.wabaId) }));
  const hintId = useId();
  const columns = ['name', 'language', 'category', 'status', 'quality', 'updated'].map((column) => t(`templates.admin.columns.${column}`));
  return (
    <div className="admin-screen templates-screen">
      <h1 className="visually-hidden">{t('templates.admin.title')}</h1>
      <section className="panel templates-intro">
        <p>{t('templates.admin.intro')}</p>
        <div className="row-actions">
          <button type="button" className="button-primary" onClick={() => void openManager.run()} disabled={openManager.pending} aria-describedby={hintId}>
            {t('templates.admin.manager')}
          </button>
          <button type="button" className="button-secondary" onClick={() => void sync.run()} disabled={sync.pending}>
            {t('templates.admin.sync')}
          </button>
        </div>
        <p className="field-hint" id={hintId}>
          {t('templates.admin.managerHint')}
        </p>
        <ErrorNotice problem={openManager.failure ?? sync.failure ?? templates.failure} />
        {templates.value === null ? null : (
          <ul className="template-syncs">
            {templates.value.syncs.map((line) => (
              <SyncLine key={line.wabaId} sync={line} />
            ))}
          </ul>
        )}
      </section>
      <AdminTable title={t('templates.admin.title')} columns={columns}>
        {(templates.value?.templates ?? []).map((template) => (
          <TemplateRow key={template.id} template={template} />
        ))}
      </AdminTable>
      {templates.value !== null && templates.value.templates.length === 0 ? <p className="template-none">{t('templates.admin.empty')}</p> : null}
    </div>
  );
}
