/** The IdleSource on Electron's powerMonitor: system-wide idle time, screen lock and suspend. */
import { powerMonitor } from 'electron';
import type { IdleSource } from '../platform/platform.js';

export function createPowerMonitorIdleSource(): IdleSource {
  return {
    idleSeconds: () => powerMonitor.getSystemIdleTime(),
    // A locked screen and a sleeping machine both mean the agent left the desk.
    onScreenLocked(listener) {
      const notify = (): void => listener();
      powerMonitor.on('lock-screen', notify);
      powerMonitor.on('suspend', notify);
      return () => {
        powerMonitor.removeListener('lock-screen', notify);
        powerMonitor.removeListener('suspend', notify);
      };
    },
  };
}
