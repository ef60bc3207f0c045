import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceView } from '../../common/api/admin.js';
import { useAction } from '../api/use-action.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNotice } from '../components/ErrorNotice.js';

/** Revoking ends the workstation's sessions at once and erases its data: ask for the reason, which it will show. */
export function RevokeDeviceDialog({ device, onDone, onCancel }: { device: DeviceView; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const revoke = useAction(() => window.sportello.adminRevokeDevice({ deviceId: device.id, reason }), onDone);
  return (
    <Dialog
      title={t('devices.revokeTitle', { hostname: device.hostname })}
      confirmLabel={t('devices.revoke')}
      onConfirm={() => void revoke.run()}
      onCancel={onCancel}
      pending={revoke.pending}
      destructive
    >
      <p>{t('devices.revokeExplanation')}</p>
      <div className="field">
        <label htmlFor={reasonId}>{t('devices.revokeReason')}</label>
        <textarea id={reasonId} value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={500} rows={3} />
      </div>
      <ErrorNotice problem={revoke.failure} />
    </Dialog>
  );
}
