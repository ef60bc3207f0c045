/** Everything the core needs from the desktop, assembled from the shell's parts (after the app is ready). */
import { app } from 'electron';
import { desktopTextFor } from '../desktop-text/desktop-text.js';
import type { Platform } from '../platform/platform.js';
import { provisioningFilePath } from '../workstation/provisioning-location.js';
import { createElectronDesktop } from './electron-desktop.js';
import { createElectronMachineInfo } from './electron-machine-info.js';
import type { MainWindow } from './main-window.js';
import { createPowerMonitorIdleSource } from './power-monitor-idle-source.js';
import { createSafeStorageSecretStore } from './safe-storage-secret-store.js';

export function createElectronPlatform(window: MainWindow): Platform {
  return {
    userDataDir: app.getPath('userData'),
    provisioningPath: provisioningFilePath({
      platform: process.platform,
      executablePath: app.getPath('exe'),
      resourcesPath: process.resourcesPath,
      env: process.env,
    }),
    secrets: createSafeStorageSecretStore(),
    desktop: createElectronDesktop(window, desktopTextFor(app.getLocale())),
    idle: createPowerMonitorIdleSource(),
    machine: createElectronMachineInfo(),
    now: () => Date.now(),
    monotonicNow: () => performance.now(),
  };
}
