/** The screen main allows, and nothing else: the renderer never decides who may see the inbox. */
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../common/ipc/app-state.js';
import { AppHeader } from '../components/AppHeader.js';
import { InboxScreen } from '../inbox/InboxScreen.js';
import { AuthenticatorStep } from '../screens/enrolling/AuthenticatorStep.js';
import { RecoveryCodesStep } from '../screens/enrolling/RecoveryCodesStep.js';
import { LockedScreen } from '../screens/LockedScreen.js';
import { BriefingScreen } from '../screens/briefing/BriefingScreen.js';
import { OfflineScreen } from '../screens/OfflineScreen.js';
import { PairingScreen } from '../screens/PairingScreen.js';
import { RevokedScreen } from '../screens/RevokedScreen.js';
import { SignedOutScreen } from '../screens/signed-out/SignedOutScreen.js';
import { StartingScreen } from '../screens/StartingScreen.js';
import { UnpairedScreen } from '../screens/UnpairedScreen.js';
import { UnprovisionedScreen } from '../screens/UnprovisionedScreen.js';
import { UpdateRequiredScreen } from '../screens/UpdateRequiredScreen.js';
import { AppStateProvider, useAppState } from './app-state-context.js';

function ScreenFor({ state }: { state: Exclude<AppState, { screen: 'inbox' }> }) {
  switch (state.screen) {
    case 'unprovisioned':
      return <UnprovisionedScreen problem={state.problem} provisioningPath={state.provisioningPath} />;
    case 'starting':
      return <StartingScreen />;
    case 'offline':
      return <OfflineScreen serverUrl={state.serverUrl} problem={state.problem} />;
    case 'unpaired':
      return <UnpairedScreen machineId={state.machineId} hostname={state.hostname} problem={state.problem} />;
    case 'pairing':
      return <PairingScreen state={state} />;
    case 'signed_out':
      return <SignedOutScreen deviceLabel={state.deviceLabel} problem={state.problem} />;
    case 'enrolling':
      return state.step === 'authenticator' ? (
        <AuthenticatorStep username={state.username} otpauthUri={state.otpauthUri} manualKey={state.manualKey} problem={state.problem} />
      ) : (
        <RecoveryCodesStep username={state.username} recoveryCodes={state.recoveryCodes} />
      );
    case 'locked':
      return <LockedScreen state={state} />;
    case 'briefing':
      return <BriefingScreen key={state.briefing.briefing.version} state={state} />;
    case 'revoked':
      return <RevokedScreen reason={state.reason} reasonCode={state.reasonCode} dataErased={state.dataErased} />;
    case 'update_required':
      return <UpdateRequiredScreen appVersion={state.appVersion} minimumVersion={state.minimumVersion} />;
  }
}

function CurrentScreen() {
  const { t } = useTranslation();
  const { state } = useAppState();
  // The inbox has its own header; every other screen shares the plain one.
  if (state?.screen === 'inbox') return <InboxScreen key={state.agent.id} agent={state.agent} />;
  return (
    <div className="app" data-screen={state?.screen ?? 'loading'}>
      <AppHeader />
      {state === null ? (
        <p className="busy" role="status">
          {t('starting.checking')}
        </p>
      ) : (
        <ScreenFor state={state} />
      )}
    </div>
  );
}

export function App() {
  return (
    <AppStateProvider>
      <CurrentScreen />
    </AppStateProvider>
  );
}
