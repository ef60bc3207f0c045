/**
 * Approving a workstation from the desktop: IT types the code the workstation shows, sees which
 * machine that is (hostname, OS, key fingerprint, the machine ID it claims) and approves or
 * rejects only after comparing. Approving a new key for an active device replaces its key: the
 * screen shows both fingerprints and the warning the phone page and the CLI give, and asks first.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceView, PairingForApproval, PendingPairing } from '../../common/api/admin.js';
import { replacesActiveKey } from '../../common/devices/key-replacement.js';
import { useAction } from '../api/use-action.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { GroupedCode } from '../components/GroupedCode.js';
import { TextField } from '../components/TextField.js';
import { useTimeFormat } from '../components/use-time-format.js';
import { Fingerprint } from './Fingerprint.js';

/** The key the device has now, and the one approving would give it. */
function KeyChange({ device, pairing }: { device: DeviceView; pairing: PendingPairing }) {
  const { t } = useTranslation();
  return (
    <dl className="facts key-change">
      <dt>{t('devices.currentKey')}</dt>
      <dd>
        <Fingerprint value={device.keyFingerprint} testId="current-fingerprint" />
      </dd>
      <dt>{t('devices.newKey')}</dt>
      <dd>
        <Fingerprint value={pairing.keyFingerprint} testId="new-fingerprint" />
      </dd>
    </dl>
  );
}

function PairingToDecide({ found, code, onDecided }: { found: PairingForApproval; code: string; onDecided: (message: string) => void }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const { device, pairing } = found;
  const replacing = replacesActiveKey(device, pairing);
  const [confirming, setConfirming] = useState(false);
  // When it replaces a key, approving runs only from the confirmation dialog.
  const approve = useAction(
    () => window.sportello.adminApprovePairing({ code, replaceKey: replacing }),
    () => onDecided(t('devices.approved', { hostname: pairing.hostname })),
  );
  const reject = useAction(
    () => window.sportello.adminRejectPairing({ code }),
    () => onDecided(t('devices.rejected', { hostname: pairing.hostname })),
  );
  const busy = approve.pending || reject.pending;
  return (
    <section className="pairing-to-decide" aria-label={t('devices.decideLabel')}>
      <dl className="facts">
        <dt>{t('devices.hostname')}</dt>
        <dd>{pairing.hostname}</dd>
        <dt>{t('devices.label')}</dt>
        <dd>{device.label}</dd>
        <dt>{t('devices.currentStatus')}</dt>
        <dd>{t(`devices.statusValue.${device.status}`)}</dd>
        <dt>{t('devices.os')}</dt>
        <dd>{pairing.os}</dd>
        <dt>{t('devices.appVersion')}</dt>
        <dd>{pairing.appVersion}</dd>
        <dt>{t('devices.storage')}</dt>
        <dd>{pairing.storageBackend}</dd>
        <dt>{t('devices.machineIdClaimed')}</dt>
        <dd>
          <GroupedCode value={device.machineId} groupSize={8} className="selectable machine-id" />
        </dd>
        <dt>{t('devices.allowlisted')}</dt>
        <dd>{device.allowlisted ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('devices.requestedAt')}</dt>
        <dd>{time.moment(pairing.createdAt)}</dd>
      </dl>
      <p className="muted">{t('devices.machineIdNotProof')}</p>
      {device.pendingPairingCount > 1 ? (
        <p className="warning-notice" role="alert">
          {t('devices.otherRequests', { number: device.pendingPairingCount })}
        </p>
      ) : null}
      {replacing ? (
        <div className="warning-notice" role="alert">
          <p>{t('devices.replacesKey')}</p>
          <KeyChange device={device} pairing={pairing} />
        </div>
      ) : null}
      <h3>{t('devices.fingerprint')}</h3>
      <p className="large-fingerprint">
        <Fingerprint value={pairing.keyFingerprint} />
      </p>
      <p className="warning-notice">{t('devices.compareFingerprint')}</p>
      <ErrorNotice problem={confirming ? reject.failure : (approve.failure ?? reject.failure)} />
      <div className="actions">
        <button type="button" className="button-danger" onClick={() => void reject.run()} disabled={busy}>
          {t('devices.reject')}
        </button>
        <button type="button" className="button-primary" onClick={() => (replacing ? setConfirming(true) : void approve.run())} disabled={busy}>
          {t('devices.approve')}
        </button>
      </div>
      {confirming ? (
        <Dialog
          title={t('devices.replaceKeyTitle', { hostname: pairing.hostname })}
          confirmLabel={t('devices.replaceKeyConfirm')}
          onConfirm={() => void approve.run()}
          onCancel={() => setConfirming(false)}
          pending={approve.pending}
          destructive
        >
          <p>{t('devices.replacesKey')}</p>
          <KeyChange device={device} pairing={pairing} />
          <ErrorNotice problem={approve.failure} />
        </Dialog>
      ) : null}
    </section>
  );
}

export function ApprovePairing({ onDecided }: { onDecided: () => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const [code, setCode] = useState('');
  const [found, setFound] = useState<{ pairing: PairingForApproval; code: string } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const lookup = useAction(
    () => window.sportello.adminLookupPairing({ code }),
    (pairing) => setFound({ pairing, code }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFound(null);
    setOutcome(null);
    void lookup.run();
  };
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('devices.approveTitle')}</h2>
      <p className="muted">{t('devices.approveHint')}</p>
      <form className="inline-form" onSubmit={submit}>
        <TextField
          label={t('devices.code')}
          value={code}
          onChange={setCode}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          required
          className="field-code"
        />
        <button type="submit" className="button-secondary" disabled={lookup.pending}>
          {t('devices.lookUp')}
        </button>
      </form>
      <ErrorNotice problem={lookup.failure} />
      {outcome === null ? null : (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      {found === null ? null : (
        <PairingToDecide
          found={found.pairing}
          code={found.code}
          onDecided={(message) => {
            setFound(null);
            setCode('');
            setOutcome(message);
            onDecided();
          }}
        />
      )}
    </section>
  );
}
