/**
 * On Linux, safeStorage starts on the OS secret store that sealed this workstation's secrets:
 * before the app is ready, Chromium is asked for it with `--password-store` (as Element Desktop
 * does), because it would otherwise pick the store of whatever desktop session is running
 * (main/secrets/sealing-backend.ts). After ready, a start that still does not get that store, or
 * gets it unable to answer, is refused with a dialog, and nothing is opened, sealed or erased.
 */
import { app, dialog } from 'electron';
import type { DesktopText } from '../desktop-text/desktop-text.js';
import type { SecretStore } from '../platform/platform.js';
import { passwordStoreSwitch, readSealingBackend, sealingStoreRefusal } from '../secrets/sealing-backend.js';
import type { SealingStoreRefusal } from '../secrets/sealing-backend.js';

/** Before ready. A record that cannot be read asks for nothing: the check after ready reports it. */
export function askForTheSealingStore(secretsDir: string, platform: string = process.platform): void {
  if (platform !== 'linux') return;
  let recorded: string | undefined;
  try {
    recorded = readSealingBackend(secretsDir);
  } catch {
    return;
  }
  const value = recorded === undefined ? undefined : passwordStoreSwitch(recorded);
  if (value !== undefined) app.commandLine.appendSwitch('password-store', value);
}

/**
 * After ready, before the core opens anything: the refusal, once its dialog has been shown, or
 * undefined when this start may go on. An unreadable record throws its coded error.
 */
export async function refuseAnotherSealingStore(secretsDir: string, secrets: SecretStore, text: DesktopText): Promise<SealingStoreRefusal | undefined> {
  const refusal = sealingStoreRefusal(readSealingBackend(secretsDir), secrets);
  if (refusal === undefined) return undefined;
  await dialog.showMessageBox({
    type: 'error',
    title: text.secretStoreTitle,
    message: refusal.reason === 'store_changed' ? text.secretStoreChanged(refusal.recorded, refusal.current) : text.secretStoreUnavailable(refusal.recorded),
    detail: text.secretStoreDetail,
    buttons: [text.quit],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  return refusal;
}
