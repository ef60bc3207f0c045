/**
 * Quitting waits for the core to stop (close the connection, lock and close the cache) before
 * the process ends; a stop that hangs does not keep the app alive past a deadline.
 */
import type { App } from 'electron';

export const STOP_DEADLINE_MS = 5_000;

export function stopBeforeQuit(app: App, stop: () => Promise<void>, onStopFailed: (error: unknown) => void): void {
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('will-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    let deadline: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<void>((_resolve, reject) => {
      deadline = setTimeout(() => reject(new Error(`the core did not stop within ${STOP_DEADLINE_MS} ms`)), STOP_DEADLINE_MS);
    });
    Promise.race([stop(), outOfTime])
      .catch(onStopFailed)
      .finally(() => {
        clearTimeout(deadline);
        phase = 'stopped';
        app.quit();
      });
  });
}
