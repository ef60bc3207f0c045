/** The agent picks the time zone times are shown in (their workstation's until then). */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

interface TimeZoneDialogProps {
  readonly current: string | null;
  readonly pending: boolean;
  readonly failure: IpcFailure | null;
  readonly onSave: (zone: string) => void;
  readonly onCancel: () => void;
}

/** Every zone the platform knows, the current one included even if it is an alias. */
function zonesWith(current: string | null): string[] {
  const known = Intl.supportedValuesOf('timeZone');
  return current === null || known.includes(current) ? known : [current, ...known];
}

export function TimeZoneDialog({ current, pending, failure, onSave, onCancel }: TimeZoneDialogProps) {
  const { t } = useTranslation();
  const selectId = useId();
  const zones = useMemo(() => zonesWith(current), [current]);
  const [zone, setZone] = useState(current ?? zones[0] ?? 'UTC');
  return (
    <Dialog title={t('presence.timeZoneTitle')} confirmLabel={t('presence.timeZoneSave')} onConfirm={() => onSave(zone)} onCancel={onCancel} pending={pending}>
      <p className="muted">{t('presence.timeZoneHint')}</p>
      <label htmlFor={selectId}>{t('presence.timeZoneLabel')}</label>
      <select id={selectId} value={zone} onChange={(event) => setZone(event.target.value)}>
        {zones.map((option) => (
          <option key={option} value={option}>
            {option.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      <ErrorNotice problem={failure} />
    </Dialog>
  );
}
