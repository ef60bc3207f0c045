/** The MachineInfo on Electron and Node: the raw OS machine ID (only main ever sees it), names and versions. */
import os from 'node:os';
import { app } from 'electron';
import { machineId } from 'node-machine-id';
import type { MachineInfo } from '../platform/platform.js';
import { describeOs, readOsRelease } from '../workstation/os-description.js';

export function createElectronMachineInfo(): MachineInfo {
  return {
    // `true`: the OS value itself; the core turns it into the app-scoped HMAC before it goes anywhere.
    rawMachineId: () => machineId(true),
    hostname: () => os.hostname(),
    osDescription: () =>
      describeOs({
        platform: process.platform,
        systemVersion: process.getSystemVersion(),
        kernelRelease: os.release(),
        osRelease: process.platform === 'linux' ? readOsRelease() : null,
      }),
    appVersion: () => app.getVersion(),
    osLocale: () => app.getLocale(),
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    platform: () => process.platform,
  };
}
