/**
 * The Electron main process: hardens the app before anything loads, builds the core on the
 * shell's Platform, connects it to the window over the IPC contract, and stops it on quit.
 * Logic lives in main/core (plain TypeScript) and main/shell (one Electron concern per module).
 */
import path from 'node:path';
import { app, dialog, ipcMain, session } from 'electron';
import { ClientCore } from './core/client-core.js';
import { desktopTextFor } from './desktop-text/desktop-text.js';
import { ipcFailureLog } from './logging/ipc-failure-log.js';
import { createMainLogger } from './logging/main-logger.js';
import type { MainLogger } from './logging/main-logger.js';
import { secretsDirOf } from './secrets/sealed-files.js';
import { registerAppScheme, serveAppScheme } from './shell/app-scheme.js';
import { createElectronPlatform } from './shell/electron-platform.js';
import { forwardBackendEvents, registerIpcHandlers } from './shell/ipc-registration.js';
import { MainWindow } from './shell/main-window.js';
import { stopBeforeQuit } from './shell/quit-cleanly.js';
import { createSafeStorageSecretStore } from './shell/safe-storage-secret-store.js';
import { askForTheSealingStore, refuseAnotherSealingStore } from './shell/sealing-store-at-start.js';
import { hardenSession } from './shell/session-hardening.js';
import { claimSingleInstance } from './shell/single-instance.js';
import { hardenEveryWebContents } from './shell/web-contents-hardening.js';

/** The same id as electron-builder.yml's appId: Windows ties notifications to it. */
const APP_USER_MODEL_ID = 'com.sportello.desktop';

// This file is built to dist/main/index.js, beside dist/preload/ and dist/renderer/.
const distDir = path.resolve(import.meta.dirname, '..');
const preloadPath = path.join(distDir, 'preload', 'index.js');
const rendererDir = path.join(distDir, 'renderer');

const secretsDir = secretsDirOf(app.getPath('userData'));

app.enableSandbox();
registerAppScheme();
askForTheSealingStore(secretsDir);
hardenEveryWebContents(app);
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

let log: MainLogger | null = null;
const window = new MainWindow({
  preloadPath,
  isPackaged: app.isPackaged,
  onLoadFailed: (error) => log?.error({ err: error }, 'the window could not load the app'),
});

async function start(): Promise<void> {
  await app.whenReady();
  log = createMainLogger({ logDir: app.getPath('logs'), alsoToStdout: !app.isPackaged });
  const logger = log;
  logger.info({ version: app.getVersion(), platform: process.platform }, 'starting');
  const refused = await refuseAnotherSealingStore(secretsDir, createSafeStorageSecretStore(), desktopTextFor(app.getLocale()));
  if (refused !== undefined) {
    logger.warn(refused, 'refused to start: the secret store that sealed this workstation’s keys is not available');
    logger.flush();
    app.exit(1);
    return;
  }
  hardenSession(session.defaultSession);
  serveAppScheme(rendererDir);

  const core = new ClientCore(createElectronPlatform(window));
  const ourContents = () => window.current()?.webContents ?? null;
  registerIpcHandlers(ipcMain, core, ourContents, ipcFailureLog(logger));
  forwardBackendEvents(core, ourContents);
  stopBeforeQuit(
    app,
    () => core.stop(),
    (error) => logger.error({ err: error }, 'the core did not stop cleanly'),
  );

  window.open();
  await core.start();
}

function failToStart(error: unknown): void {
  log?.fatal({ err: error }, 'start-up failed');
  log?.flush();
  dialog.showErrorBox(desktopTextFor(app.getLocale()).startFailedTitle, error instanceof Error ? error.message : String(error));
  app.exit(1);
}

if (claimSingleInstance(app, () => window.focus())) {
  start().catch(failToStart);
} else {
  app.quit();
}
