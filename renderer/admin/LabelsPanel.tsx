/**
 * Labels, for those who manage them: administrators the global ones, supervisors their teams'.
 * Each has a name and a colour of the fixed palette; whoever may see a conversation puts them on
 * it and takes them off (in its header), and the list filters by them. A label keeps its scope.
 */
import type { FormEvent } from 'react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { LABEL_COLORS } from '../../common/api/replies.js';
import type { LabelColor, LabelView, ManagedLabels, ReplyScope } from '../../common/api/replies.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { LabelChips } from '../inbox/labels/LabelChips.js';
import { AdminTable } from './AdminTable.js';
import { DoneStatus, FormActions, RowActions, ScopeSelect, useManagedList, useScopeName } from './reply-scopes.js';

interface Draft {
  readonly id: number | undefined;
  readonly teamId: number | null;
  readonly name: string;
  readonly color: LabelColor;
}

const blank = (scopes: readonly ReplyScope[]): Draft => ({ id: undefined, teamId: scopes[0]?.teamId ?? null, name: '', color: 'blue' });

function LabelForm({
  scopes,
  draft,
  onDraft,
  onSaved,
}: {
  scopes: readonly ReplyScope[];
  draft: Draft;
  onDraft: (draft: Draft) => void;
  onSaved: (label: LabelView) => void;
}) {
  const { t } = useTranslation();
  const save = useAction(
    () =>
      window.sportello.manageSaveLabel({
        ...(draft.id === undefined ? {} : { id: draft.id }),
        label: { teamId: draft.teamId, name: draft.name, color: draft.color },
      }),
    onSaved,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <section className="panel">
      <h2>{draft.id === undefined ? t('labels.createTitle') : t('labels.editTitle', { name: draft.name })}</h2>
      <form className="stacked-form label-form" onSubmit={submit}>
        <ScopeSelect scopes={scopes} teamId={draft.teamId} onTeamId={(teamId) => onDraft({ ...draft, teamId })} disabled={draft.id !== undefined} />
        <TextField label={t('labels.name')} value={draft.name} onChange={(name) => onDraft({ ...draft, name })} maxLength={40} autoComplete="off" required />
        <fieldset className="label-colors">
          <legend>{t('labels.color')}</legend>
          {LABEL_COLORS.map((color) => (
            <label key={color} className={`label-chip label-${color} label-color-option`}>
              <input type="radio" name="label-color" value={color} checked={draft.color === color} onChange={() => onDraft({ ...draft, color })} />
              {t(`labels.colors.${color}`)}
            </label>
          ))}
        </fieldset>
        <FormActions save={t('labels.save')} pending={save.pending} editing={draft.id !== undefined} onCancel={() => onDraft(blank(scopes))} />
      </form>
      <ErrorNotice problem={save.failure} />
    </section>
  );
}

export function LabelsPanel() {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.manageListLabels({}), []);
  const { managed, draft, setDraft, done, changed } = useManagedList<ManagedLabels, Draft>(load);
  const scopeName = useScopeName();
  const remove = useAction((label: LabelView) => window.sportello.manageRemoveLabel({ id: label.id }));
  if (managed.value === null) return <ErrorNotice problem={managed.failure} />;
  const { labels, scopes } = managed.value;
  if (scopes.length === 0) return null;
  return (
    <div className="replies-panel">
      <DoneStatus done={done} />
      <ErrorNotice problem={managed.failure ?? remove.failure} />
      <AdminTable title={t('labels.title')} columns={[t('replyScopes.label'), t('labels.name'), t('labels.color')]}>
        {labels.map((label) => (
          <tr key={label.id}>
            <td>{scopeName(label)}</td>
            <td>
              <LabelChips labels={[label]} />
            </td>
            <td>{t(`labels.colors.${label.color}`)}</td>
            <RowActions
              edit={[t('labels.edit'), t('labels.editNamed', { name: label.name })]}
              remove={[t('labels.removeLabel'), t('labels.removeNamed', { name: label.name })]}
              pending={remove.pending}
              onEdit={() => setDraft({ id: label.id, teamId: label.teamId, name: label.name, color: label.color })}
              onRemove={() => void remove.run(label).then((result) => (result === null ? undefined : changed(t('labels.removed', { name: label.name }))))}
            />
          </tr>
        ))}
      </AdminTable>
      {labels.length === 0 ? <p className="muted">{t('labels.none')}</p> : null}
      <LabelForm
        key={draft?.id ?? 'new'}
        scopes={scopes}
        draft={draft ?? blank(scopes)}
        onDraft={setDraft}
        onSaved={(label) => changed(t('labels.saved', { name: label.name }))}
      />
    </div>
  );
}
