/**
 * Schedules a message (or changes one, or sets a reminder): a date and a time in the agent's time
 * zone, and what goes — a text, a file main picks and uploads (as the composer's attachments, with
 * the text as its caption), or a template chosen through the template picker — and, for a text or
 * a file, the template to send instead if the customer's 24-hour window has closed by then
 * (optional, through the same picker). The server checks it now as a send (card numbers, links,
 * codes) and again when it goes.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '../../../common/ipc/contract.js';
import type { IpcResult } from '../../../common/ipc/ipc-result.js';
import type { ScheduledContent, ScheduledMessageView } from '../../../common/schedule/scheduled-message.js';
import { useAction } from '../../api/use-action.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { agentTimeZone, instantOf, pickedOf } from './local-time.js';
import { ScheduledTemplateChoice, scheduledTemplateOf } from './ScheduledTemplateChoice.js';
import type { TemplateSlot } from './ScheduledTemplateChoice.js';

export type ScheduleDialogMode =
  | { readonly kind: 'new'; readonly text: string; readonly onScheduled?: () => void }
  | { readonly kind: 'edit'; readonly scheduled: ScheduledMessageView }
  | { readonly kind: 'reminder' };

interface ScheduleDialogProps {
  readonly conversationId: number;
  readonly mode: ScheduleDialogMode;
  readonly onDone: () => void;
  readonly onClose: () => void;
}

type What = ScheduledContent['kind'];
/** The file that goes: one picked now, or the one a scheduled message being changed already carries. */
type File = { readonly picked: Attachment } | { readonly mediaId: number } | null;
type Problem = 'time' | 'text' | 'file' | 'template' | 'fallback';

const HOUR = 60 * 60 * 1000;

function startOf(
  editing: ScheduledMessageView | undefined,
  newText: string,
): { what: What; text: string; file: File; template: TemplateSlot; fallback: TemplateSlot } {
  const content = editing?.content;
  return {
    what: content?.kind ?? 'text',
    text: content === undefined ? newText : content.kind === 'text' ? content.text : content.kind === 'media' ? (content.caption ?? '') : '',
    file: content?.kind === 'media' ? { mediaId: content.mediaId } : null,
    template:
      content?.kind === 'template'
        ? { kind: 'kept' as const, template: { name: content.name, languageCode: content.languageCode, components: content.components } }
        : null,
    fallback: editing?.fallbackTemplate == null ? null : { kind: 'kept' as const, template: editing.fallbackTemplate },
  };
}

export function ScheduleDialog({ conversationId, mode, onDone, onClose }: ScheduleDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const editing = mode.kind === 'edit' ? mode.scheduled : undefined;
  const initial = pickedOf(editing?.sendAt ?? Date.now() + HOUR);
  const start = startOf(editing, mode.kind === 'new' ? mode.text : '');
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [what, setWhat] = useState<What>(start.what);
  const [text, setText] = useState(start.text);
  const [file, setFile] = useState<File>(start.file);
  const [template, setTemplate] = useState<TemplateSlot>(start.template);
  const [fallback, setFallback] = useState<TemplateSlot>(start.fallback);
  const [problem, setProblem] = useState<Problem | null>(null);
  const key = useRef(crypto.randomUUID());
  const timeZone = agentTimeZone();
  const pick = useAction(
    () => window.sportello.pickAttachment({ conversationId }),
    (picked) => {
      if (picked !== null) setFile({ picked });
    },
  );
  const save = useAction(
    async ({
      sendAt,
      content,
      fallbackTemplate,
    }: {
      sendAt: string;
      content?: ScheduledContent;
      fallbackTemplate?: ReturnType<typeof scheduledTemplateOf>;
    }): Promise<IpcResult<unknown>> => {
      if (mode.kind === 'reminder' || content === undefined) return window.sportello.setReminder({ conversationId, remindAt: sendAt, timeZone });
      const instead = fallbackTemplate === null || fallbackTemplate === 'incomplete' || fallbackTemplate === undefined ? undefined : fallbackTemplate;
      if (mode.kind === 'edit')
        return window.sportello.editScheduledMessage({
          scheduledId: mode.scheduled.id,
          change: { content, sendAt, timeZone, fallbackTemplate: instead ?? null },
        });
      return window.sportello.scheduleMessage({ conversationId, idempotencyKey: key.current, content, sendAt, timeZone, fallbackTemplate: instead });
    },
    () => {
      if (mode.kind === 'new') mode.onScheduled?.();
      onDone();
      onClose();
    },
  );
  const contentOf = (): ScheduledContent | Problem => {
    if (what === 'text') return text.trim() === '' ? 'text' : { kind: 'text', text };
    if (what === 'media') {
      if (file === null) return 'file';
      const mediaId = 'picked' in file ? file.picked.attachmentId : file.mediaId;
      return { kind: 'media', mediaId, ...(text.trim() === '' ? {} : { caption: text }) };
    }
    const chosen = scheduledTemplateOf(template);
    return chosen === null || chosen === 'incomplete' ? 'template' : { kind: 'template', ...chosen };
  };
  const confirm = () => {
    const sendAt = instantOf(date, time);
    if (sendAt === null || Date.parse(sendAt) <= Date.now()) return setProblem('time');
    if (mode.kind === 'reminder') {
      setProblem(null);
      return void save.run({ sendAt });
    }
    const content = contentOf();
    if (typeof content === 'string') return setProblem(content);
    const fallbackTemplate = what === 'template' ? null : scheduledTemplateOf(fallback);
    if (fallbackTemplate === 'incomplete') return setProblem('fallback');
    setProblem(null);
    void save.run({ sendAt, content, fallbackTemplate });
  };
  const title = mode.kind === 'reminder' ? t('schedule.remindTitle') : mode.kind === 'edit' ? t('schedule.editTitle') : t('schedule.dialogTitle');
  return (
    <Dialog
      title={title}
      confirmLabel={mode.kind === 'reminder' ? t('schedule.remindConfirm') : t('schedule.confirm')}
      pending={save.pending}
      onCancel={onClose}
      onConfirm={confirm}
    >
      <div className="schedule-fields">
        <label htmlFor={`${id}-date`}>{t('schedule.date')}</label>
        <input id={`${id}-date`} type="date" value={date} onChange={(event) => setDate(event.target.value)} />
        <label htmlFor={`${id}-time`}>{t('schedule.time')}</label>
        <input id={`${id}-time`} type="time" value={time} onChange={(event) => setTime(event.target.value)} />
      </div>
      <p className="hint">{t('schedule.inZone', { zone: timeZone })}</p>
      {problem === 'time' ? <p className="form-problem">{t('schedule.pickFuture')}</p> : null}
      {mode.kind === 'reminder' ? null : (
        <>
          <label htmlFor={`${id}-what`}>{t('schedule.what')}</label>
          <select id={`${id}-what`} value={what} onChange={(event) => setWhat(event.target.value as What)}>
            <option value="text">{t('schedule.whatText')}</option>
            <option value="media">{t('schedule.whatFile')}</option>
            <option value="template">{t('schedule.whatTemplate')}</option>
          </select>
          {what === 'media' ? (
            <div className="field">
              {file === null ? null : <span className="file-name">{'picked' in file ? file.picked.filename : t('schedule.fileKept')}</span>}
              <button type="button" className="button-secondary" disabled={pick.pending} onClick={() => void pick.run()}>
                {t(file === null ? 'schedule.attach' : 'schedule.attachAnother')}
              </button>
              <ErrorNotice problem={pick.failure} />
              {problem === 'file' ? <p className="form-problem">{t('schedule.needsFile')}</p> : null}
            </div>
          ) : null}
          {what === 'template' ? (
            <>
              <ScheduledTemplateChoice conversationId={conversationId} label={t('schedule.templateLabel')} slot={template} onChange={setTemplate} />
              {problem === 'template' ? <p className="form-problem">{t('schedule.needsTemplate')}</p> : null}
            </>
          ) : (
            <>
              <label htmlFor={`${id}-text`}>{t(what === 'media' ? 'schedule.caption' : 'schedule.text')}</label>
              <textarea id={`${id}-text`} className="composer-text" rows={3} value={text} onChange={(event) => setText(event.target.value)} />
              {problem === 'text' ? <p className="form-problem">{t('schedule.needsText')}</p> : null}
              <p className="field-label">{t('schedule.fallback')}</p>
              <ScheduledTemplateChoice
                conversationId={conversationId}
                label={t('schedule.fallback')}
                slot={fallback}
                onChange={setFallback}
                choose={t('schedule.fallbackChoose')}
              />
              {problem === 'fallback' ? <p className="form-problem">{t('schedule.fallbackIncomplete')}</p> : null}
              <p className="hint">{t('schedule.fallbackHint')}</p>
            </>
          )}
        </>
      )}
      <ErrorNotice problem={save.failure} />
    </Dialog>
  );
}
