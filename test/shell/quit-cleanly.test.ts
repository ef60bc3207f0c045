/** Quitting waits for the core to stop, but neither a failing nor a hanging stop keeps the app alive. */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from 'electron';
import { STOP_DEADLINE_MS, stopBeforeQuit } from '../../main/shell/quit-cleanly.js';
import { FakeEvent, asElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

class QuittingApp extends EventEmitter {
  quits = 0;
  ended = false;
  quit(): void {
    this.quits += 1;
    const event = new FakeEvent();
    this.emit('will-quit', event);
    if (!event.defaultPrevented) this.ended = true;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('stopBeforeQuit', () => {
  it('holds the quit until the core has stopped, then quits', async () => {
    const app = new QuittingApp();
    let finishStop: () => void = () => {};
    stopBeforeQuit(
      asElectron<App>(app),
      () => new Promise<void>((resolve) => (finishStop = resolve)),
      () => {},
    );
    app.quit();
    expect(app.ended).toBe(false);
    app.quit();
    expect(app.ended).toBe(false);
    finishStop();
    await vi.waitFor(() => expect(app.ended).toBe(true));
  });

  it('quits after reporting a stop that failed', async () => {
    const app = new QuittingApp();
    const failures: unknown[] = [];
    stopBeforeQuit(
      asElectron<App>(app),
      () => Promise.reject(new Error('cache busy')),
      (error) => failures.push(error),
    );
    app.quit();
    await vi.waitFor(() => expect(app.ended).toBe(true));
    expect(failures).toEqual([new Error('cache busy')]);
  });

  it('quits at the deadline when the stop never finishes', async () => {
    vi.useFakeTimers();
    const app = new QuittingApp();
    const failures: unknown[] = [];
    stopBeforeQuit(
      asElectron<App>(app),
      () => new Promise<void>(() => {}),
      (error) => failures.push(error),
    );
    app.quit();
    await vi.advanceTimersByTimeAsync(STOP_DEADLINE_MS);
    expect(app.ended).toBe(true);
    expect(failures).toHaveLength(1);
  });
});
