/**
 * One running app per user: two would fight over the sealed secrets and the encrypted cache.
 * A second start hands over to the first (which comes to the front) and exits.
 */
import type { App } from 'electron';

/** False when another instance already runs: the caller quits. */
export function claimSingleInstance(app: App, focusFirst: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', focusFirst);
  return true;
}
