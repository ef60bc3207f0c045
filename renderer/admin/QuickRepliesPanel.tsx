/**
 * Quick replies, for those who manage them: administrators the global ones, supervisors those of
 * the teams they supervise (the server says which scopes). Each has a shortcut (typed after `/` in
 * the composer) and a text in English, in Italian or both, with variables from the closed set
 * shown here; a text naming any other is refused by the server, and nothing is saved.
 */
import type { FormEvent } from 'react';
import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ManagedQuickReplies, QuickReplyView, ReplyScope } from '../../common/api/replies.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TextField } from '../components/TextField.js';
import { AdminTable } from './AdminTable.js';
import { DoneStatus, FormActions, RowActions, ScopeSelect, useManagedList, useScopeName } from './reply-scopes.js';

interface Draft {
  readonly id: number | undefined;
  readonly teamId: number | null;
  readonly shortcut: string;
  readonly en: string;
  readonly it: string;
}

const blank = (scopes: readonly ReplyScope[]): Draft => ({ id: undefined, teamId: scopes[0]?.teamId ?? null, shortcut: '', en: '', it: '' });
const draftOf = (reply: QuickReplyView): Draft => ({
  id: reply.id,
  teamId: reply.teamId,
  shortcut: reply.shortcut,
  en: reply.texts.en ?? '',
  it: reply.texts.it ?? '',
});

function TextArea({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="field quick-reply-field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} value={value} rows={3} maxLength={4096} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

function ReplyForm({
  scopes,
  variables,
  draft,
  onDraft,
  onSaved,
}: {
  scopes: readonly ReplyScope[];
  variables: readonly string[];
  draft: Draft;
  onDraft: (draft: Draft) => void;
  onSaved: (reply: QuickReplyView) => void;
}) {
  const { t } = useTranslation();
  const save = useAction(
    () =>
      window.sportello.manageSaveQuickReply({
        ...(draft.id === undefined ? {} : { id: draft.id }),
        reply: { teamId: draft.teamId, shortcut: draft.shortcut, texts: { en: draft.en, it: draft.it } },
      }),
    onSaved,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <section className="panel">
      <h2>{draft.id === undefined ? t('quickReplies.createTitle') : t('quickReplies.editTitle', { shortcut: draft.shortcut })}</h2>
      <form className="stacked-form quick-reply-form" onSubmit={submit}>
        <ScopeSelect scopes={scopes} teamId={draft.teamId} onTeamId={(teamId) => onDraft({ ...draft, teamId })} />
        <TextField
          label={t('quickReplies.shortcut')}
          hint={t('quickReplies.shortcutHint')}
          value={draft.shortcut}
          onChange={(shortcut) => onDraft({ ...draft, shortcut })}
          autoComplete="off"
          required
        />
        <TextArea label={t('quickReplies.textEn')} value={draft.en} onChange={(en) => onDraft({ ...draft, en })} />
        <TextArea label={t('quickReplies.textIt')} value={draft.it} onChange={(it) => onDraft({ ...draft, it })} />
        <p className="field-hint">
          {t('quickReplies.variablesHint')}{' '}
          {variables.map((name) => (
            <code key={name} className="variable-name">{`{{${name}}}`}</code>
          ))}
        </p>
        <FormActions save={t('quickReplies.save')} pending={save.pending} editing={draft.id !== undefined} onCancel={() => onDraft(blank(scopes))} />
      </form>
      <ErrorNotice problem={save.failure} />
    </section>
  );
}

export function QuickRepliesPanel() {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.manageListQuickReplies({}), []);
  const { managed, draft, setDraft, done, changed } = useManagedList<ManagedQuickReplies, Draft>(load);
  const scopeName = useScopeName();
  const remove = useAction((reply: QuickReplyView) => window.sportello.manageRemoveQuickReply({ id: reply.id }));
  if (managed.value === null) return <ErrorNotice problem={managed.failure} />;
  const { replies, scopes, variables } = managed.value;
  if (scopes.length === 0) return <p className="muted">{t('quickReplies.noScope')}</p>;
  return (
    <div className="replies-panel">
      <p className="muted">{t('quickReplies.explanation')}</p>
      <DoneStatus done={done} />
      <ErrorNotice problem={managed.failure ?? remove.failure} />
      <AdminTable
        title={t('quickReplies.title')}
        columns={[t('replyScopes.label'), t('quickReplies.shortcut'), t('quickReplies.textEn'), t('quickReplies.textIt')]}
      >
        {replies.map((reply) => (
          <tr key={reply.id}>
            <td>{scopeName(reply)}</td>
            <td>
              <code>/{reply.shortcut}</code>
            </td>
            <td className="quick-reply-cell">{reply.texts.en ?? '—'}</td>
            <td className="quick-reply-cell">{reply.texts.it ?? '—'}</td>
            <RowActions
              edit={[t('quickReplies.edit'), t('quickReplies.editNamed', { shortcut: reply.shortcut })]}
              remove={[t('quickReplies.remove'), t('quickReplies.removeNamed', { shortcut: reply.shortcut })]}
              pending={remove.pending}
              onEdit={() => setDraft(draftOf(reply))}
              onRemove={() =>
                void remove.run(reply).then((result) => (result === null ? undefined : changed(t('quickReplies.removed', { shortcut: reply.shortcut }))))
              }
            />
          </tr>
        ))}
      </AdminTable>
      {replies.length === 0 ? <p className="muted">{t('quickReplies.none')}</p> : null}
      <ReplyForm
        key={draft?.id ?? 'new'}
        scopes={scopes}
        variables={variables}
        draft={draft ?? blank(scopes)}
        onDraft={setDraft}
        onSaved={(reply) => changed(t('quickReplies.saved', { shortcut: reply.shortcut }))}
      />
    </div>
  );
}
