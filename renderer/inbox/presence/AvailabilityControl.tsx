/**
 * In the inbox header: available or away (away takes no new conversations), and the time zone
 * times are shown in. `takesConversations`: the agent holds agent or supervisor; an admin who
 * reads no conversation takes none, so has no availability to set, only a time zone.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { TimeZoneDialog } from './TimeZoneDialog.js';
import type { MyStatusState } from './use-my-status.js';

export function AvailabilityControl({ state, takesConversations }: { state: MyStatusState; takesConversations: boolean }) {
  const { t } = useTranslation();
  const { status, setAvailable, setTimeZone } = state;
  const [choosingZone, setChoosingZone] = useState(false);
  if (status === null) return null;
  const zone = status.timeZone ?? t('presence.systemZone');
  return (
    <div className="me-status">
      {takesConversations ? (
        <label className={`availability availability-${status.available ? 'available' : 'away'}`}>
          <span className="visually-hidden">{t('presence.availabilityLabel')}</span>
          <select
            value={status.available ? 'available' : 'away'}
            disabled={setAvailable.pending}
            onChange={(event) => void setAvailable.run(event.target.value === 'available')}
          >
            <option value="available">{t('presence.available')}</option>
            <option value="away">{t('presence.away')}</option>
          </select>
        </label>
      ) : null}
      <button type="button" className="button-link time-zone-button" onClick={() => setChoosingZone(true)} aria-label={t('presence.timeZoneButton', { zone })}>
        {zoneCity(status.timeZone) ?? zone}
      </button>
      {choosingZone ? (
        <TimeZoneDialog
          current={status.timeZone}
          pending={setTimeZone.pending}
          failure={setTimeZone.failure}
          onSave={(picked) => {
            void setTimeZone.run(picked).then((saved) => {
              if (saved !== null) setChoosingZone(false);
            });
          }}
          onCancel={() => {
            setTimeZone.clearFailure();
            setChoosingZone(false);
          }}
        />
      ) : null}
      <ErrorNotice problem={setAvailable.failure} />
    </div>
  );
}

/** Europe/Rome → Rome, America/Argentina/Buenos_Aires → Buenos Aires: short enough for the header (the full zone is its label). */
function zoneCity(zone: string | null): string | undefined {
  return zone?.split('/').at(-1)?.replaceAll('_', ' ');
}
