/**
 * Creating an agent: the server answers with a one-time enrollment code, which exists only in
 * this answer. It is shown once, with a warning, until the admin dismisses it.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrollmentIssued } from '../../common/api/admin.js';
import { ROLES } from '../../common/api/session.js';
import type { Role } from '../../common/api/session.js';
import { useAction } from '../api/use-action.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { GroupedCode } from '../components/GroupedCode.js';
import { TextField } from '../components/TextField.js';
import { useTimeFormat } from '../components/use-time-format.js';

function IssuedCode({ issued, onDismiss }: { issued: EnrollmentIssued; onDismiss: () => void }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  return (
    <section className="issued-code" aria-label={t('agents.issuedLabel')} role="status">
      <p>{t('agents.issuedFor', { name: issued.agent.displayName, username: issued.agent.username })}</p>
      <p className="enrollment-code" data-testid="enrollment-code">
        <GroupedCode value={issued.enrollmentCode} separator="-" size="large" className="selectable" />
      </p>
      <p className="warning-notice">
        <strong>{t('agents.shownOnce')}</strong> {t('agents.validUntil', { until: time.moment(issued.enrollmentExpiresAt) })}
      </p>
      <div className="actions">
        <button type="button" className="button-primary" onClick={onDismiss}>
          {t('agents.issuedDone')}
        </button>
      </div>
    </section>
  );
}

export function CreateAgent({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const rolesId = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<readonly Role[]>(['agent']);
  const [issued, setIssued] = useState<EnrollmentIssued | null>(null);
  const create = useAction(
    () => window.sportello.adminCreateAgent({ username, displayName, roles: [...roles] }),
    (value) => {
      setIssued(value);
      setUsername('');
      setDisplayName('');
      setRoles(['agent']);
      onCreated();
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('agents.createTitle')}</h2>
      {issued === null ? (
        <form className="inline-form" onSubmit={submit}>
          <TextField label={t('login.username')} value={username} onChange={setUsername} autoComplete="off" autoCapitalize="none" spellCheck={false} required />
          <TextField label={t('agents.displayName')} value={displayName} onChange={setDisplayName} autoComplete="off" required />
          <fieldset className="field role-choices" aria-describedby={rolesId}>
            <legend>{t('agents.roles')}</legend>
            {ROLES.map((option) => (
              <label key={option} className="choice">
                <input
                  type="checkbox"
                  checked={roles.includes(option)}
                  onChange={(event) => setRoles(event.target.checked ? [...roles, option] : roles.filter((held) => held !== option))}
                />
                {t(`roles.${option}`)}
              </label>
            ))}
            <small id={rolesId} className="hint">
              {t('agents.rolesHint')}
            </small>
          </fieldset>
          <button type="submit" className="button-primary" disabled={create.pending}>
            {t('agents.create')}
          </button>
        </form>
      ) : (
        <IssuedCode issued={issued} onDismiss={() => setIssued(null)} />
      )}
      <ErrorNotice problem={create.failure} />
    </section>
  );
}
