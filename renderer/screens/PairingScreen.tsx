/**
 * Waiting for IT: the approval URL as a QR for IT's phone, the same code to type in the admin
 * screen, the key fingerprint IT compares before approving, and how long this code lasts. Main
 * rotates the code on its own and pushes the new state; this screen only shows it.
 */
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../common/ipc/app-state.js';
import { GroupedCode } from '../components/GroupedCode.js';
import { QrCode } from '../components/QrCode.js';
import { ScreenCard } from '../components/ScreenCard.js';
import { formatCountdown } from '../components/time-format.js';
import { useNow } from '../components/use-now.js';

type PairingState = Extract<AppState, { screen: 'pairing' }>;

function CodeCountdown({ codeExpiresAt }: { codeExpiresAt: number }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const msLeft = codeExpiresAt - now;
  return <p className="countdown">{msLeft > 0 ? t('pairing.codeExpiresIn', { time: formatCountdown(msLeft) }) : t('pairing.renewing')}</p>;
}

export function PairingScreen({ state }: { state: PairingState }) {
  const { t } = useTranslation();
  return (
    <ScreenCard title={t('pairing.title')} wide>
      <p>{t('pairing.explanation')}</p>
      <div className="pairing-layout">
        <QrCode text={state.approvalUrl} label={t('pairing.qrLabel')} />
        <div className="pairing-details">
          <h2>{t('pairing.codeTitle')}</h2>
          <p className="pairing-code">
            <GroupedCode value={state.code} separator="-" size="large" />
          </p>
          <CodeCountdown codeExpiresAt={state.codeExpiresAt} />
          <h2>{t('pairing.fingerprintTitle')}</h2>
          <p className="muted">{t('pairing.fingerprintHint')}</p>
          <p className="fingerprint" data-testid="key-fingerprint">
            <GroupedCode value={state.keyFingerprint} />
          </p>
          <dl className="facts">
            <dt>{t('pairing.hostname')}</dt>
            <dd>{state.hostname}</dd>
          </dl>
        </div>
      </div>
      <p className="busy" role="status">
        {t('pairing.waiting')}
      </p>
    </ScreenCard>
  );
}
