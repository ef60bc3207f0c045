/** The devices screen: approve by code, pairings waiting, and every device with its state. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceView } from '../../common/api/admin.js';
import { replacesActiveKey } from '../../common/devices/key-replacement.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { AdminTable } from './AdminTable.js';
import { ApprovePairing } from './ApprovePairing.js';
import { Fingerprint } from './Fingerprint.js';
import { RevokeDeviceDialog } from './RevokeDeviceDialog.js';
import { useLoaded } from './use-loaded.js';

function PendingPairings({ devices, onRefresh }: { devices: readonly DeviceView[]; onRefresh: () => void }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const pending = devices.filter((device) => device.pendingPairing !== null);
  return (
    <section className="panel">
      <div className="panel-heading">
        <h2>{t('devices.pendingTitle')}</h2>
        <button type="button" className="button-secondary" onClick={onRefresh}>
          {t('devices.refresh')}
        </button>
      </div>
      {pending.length === 0 ? (
        <p className="muted">{t('devices.pendingNone')}</p>
      ) : (
        <>
          <p className="muted">{t('devices.pendingHint')}</p>
          <ul className="pending-pairings">
            {pending.map((device) => (
              <li key={device.id}>
                <span className="pending-host">{device.pendingPairing?.hostname ?? device.hostname}</span>
                <Fingerprint value={device.pendingPairing?.keyFingerprint ?? null} />
                <span className="muted">{t('devices.requestedAtValue', { at: time.moment(device.pendingPairing?.createdAt ?? 0) })}</span>
                {device.pendingPairingCount > 1 ? (
                  <span className="status status-pending">{t('devices.pendingCount', { number: device.pendingPairingCount })}</span>
                ) : null}
                {device.pendingPairing !== null && replacesActiveKey(device, device.pendingPairing) ? (
                  <span className="status status-revoked">{t('devices.pendingReplaces')}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DeviceTable({ devices, onRevoke }: { devices: readonly DeviceView[]; onRevoke: (device: DeviceView) => void }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  return (
    <AdminTable
      title={t('devices.allTitle')}
      columns={[t('devices.label'), t('devices.hostname'), t('devices.status'), t('devices.fingerprint'), t('devices.lastSeen')]}
    >
      {devices.map((device) => (
        <tr key={device.id}>
          <td>{device.label}</td>
          <td>{device.hostname}</td>
          <td>
            <span className={`status status-${device.status}`}>{t(`devices.statusValue.${device.status}`)}</span>
            {device.status === 'revoked' && device.revokedReason !== null ? <span className="muted status-detail">{device.revokedReason}</span> : null}
          </td>
          <td>
            <Fingerprint value={device.keyFingerprint} />
          </td>
          <td>{device.lastSeenAt === null ? '—' : time.moment(device.lastSeenAt)}</td>
          <td>
            {device.status === 'active' ? (
              <button
                type="button"
                className="button-danger-quiet"
                onClick={() => onRevoke(device)}
                aria-label={t('devices.revokeNamed', { hostname: device.hostname })}
              >
                {t('devices.revoke')}
              </button>
            ) : null}
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}

export function DevicesPanel() {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.adminListDevices({}), []);
  const devices = useLoaded(load);
  const [revoking, setRevoking] = useState<DeviceView | null>(null);
  const list = devices.value?.devices ?? [];
  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.devices')}</h1>
      <ApprovePairing onDecided={devices.reload} />
      <ErrorNotice problem={devices.failure} />
      <PendingPairings devices={list} onRefresh={devices.reload} />
      <DeviceTable devices={list} onRevoke={setRevoking} />
      {revoking === null ? null : (
        <RevokeDeviceDialog
          device={revoking}
          onCancel={() => setRevoking(null)}
          onDone={() => {
            setRevoking(null);
            devices.reload();
          }}
        />
      )}
    </div>
  );
}
