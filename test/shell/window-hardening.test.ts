/** The window and every web contents: hardened preferences, app:// only, no way out by navigation, popups or webviews. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { App, WebContents } from 'electron';
import { FakeBrowserWindow, FakeEvent, FakeWebContents, asElectron, fake } from './fake-electron.js';
import { MainWindow } from '../../main/shell/main-window.js';
import { HARDENED_WEB_PREFERENCES } from '../../main/shell/web-preferences.js';
import { hardenEveryWebContents, hardenWebContents } from '../../main/shell/web-contents-hardening.js';
import { claimSingleInstance } from '../../main/shell/single-instance.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

const PRELOAD = '/app/dist/preload/index.js';

function openWindow(isPackaged: boolean): FakeBrowserWindow {
  const window = new MainWindow({ preloadPath: PRELOAD, isPackaged, onLoadFailed: () => {} });
  window.open();
  const created = FakeBrowserWindow.created.at(-1);
  if (created === undefined) throw new Error('no window was created');
  return created;
}

beforeEach(() => {
  FakeBrowserWindow.created = [];
});

describe('the main window', () => {
  it('is created with every hardened web preference, and DevTools off when packaged', () => {
    const window = openWindow(true);
    expect(window.options.webPreferences).toStrictEqual({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: undefined,
      spellcheck: true,
      devTools: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      preload: PRELOAD,
    });
  });

  it('allows DevTools only in an unpackaged (development) build, changing nothing else', () => {
    const { devTools, ...rest } = openWindow(false).options.webPreferences ?? {};
    expect(devTools).toBe(true);
    expect(rest).toStrictEqual({ ...HARDENED_WEB_PREFERENCES, preload: PRELOAD });
  });

  it('loads the app from app://sportello, with a background colour and a minimum size', () => {
    const window = openWindow(true);
    expect(window.loadedUrls).toEqual(['app://sportello/index.html']);
    expect(window.options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(window.options.minWidth).toBeGreaterThan(0);
    expect(window.options.minHeight).toBeGreaterThan(0);
    expect(window.options.show).toBe(false);
  });

  it('is opened once; a second open returns the same window', () => {
    const window = new MainWindow({ preloadPath: PRELOAD, isPackaged: true, onLoadFailed: () => {} });
    expect(window.open()).toBe(window.open());
    expect(FakeBrowserWindow.created).toHaveLength(1);
  });

  it('applies screenshot blocking set before it exists, and after', () => {
    const holder = new MainWindow({ preloadPath: PRELOAD, isPackaged: true, onLoadFailed: () => {} });
    holder.setContentProtection(true);
    holder.open();
    const window = FakeBrowserWindow.created[0];
    expect(window?.contentProtected).toBe(true);
    holder.setContentProtection(false);
    expect(window?.contentProtected).toBe(false);
  });

  it('reports a failed load instead of leaving a rejected promise', async () => {
    const failures: unknown[] = [];
    const failure = new Error('ERR_FILE_NOT_FOUND');
    vi.spyOn(FakeBrowserWindow.prototype, 'loadURL').mockReturnValueOnce(Promise.reject(failure));
    new MainWindow({ preloadPath: PRELOAD, isPackaged: true, onLoadFailed: (error) => failures.push(error) }).open();
    await vi.waitFor(() => expect(failures).toEqual([failure]));
  });
});

describe('every web contents', () => {
  function hardened(): FakeWebContents {
    const contents = new FakeWebContents();
    hardenEveryWebContents(asElectron<App>(fake.app));
    fake.app.emit('web-contents-created', new FakeEvent(), contents);
    return contents;
  }

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'])('has %s prevented', (eventName) => {
    const contents = hardened();
    const event = new FakeEvent();
    contents.emit(eventName, event, { url: 'https://evil.example/' });
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies every new window', () => {
    const contents = hardened();
    for (const url of ['https://example.com/', 'app://sportello/index.html', 'about:blank', 'file:///etc/passwd']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  it('cancels Bluetooth device picking instead of taking the first device', () => {
    const contents = new FakeWebContents();
    hardenWebContents(asElectron<WebContents>(contents));
    const event = new FakeEvent();
    const chosen: string[] = [];
    contents.emit('select-bluetooth-device', event, [{ deviceId: 'first', deviceName: 'Headset' }], (id: string) => chosen.push(id));
    expect(event.defaultPrevented).toBe(true);
    expect(chosen).toEqual(['']);
  });
});

describe('a second start', () => {
  it('focuses the first instance’s window', () => {
    const holder = new MainWindow({ preloadPath: PRELOAD, isPackaged: true, onLoadFailed: () => {} });
    holder.open();
    fake.app.singleInstanceLock = true;
    expect(claimSingleInstance(asElectron<App>(fake.app), () => holder.focus())).toBe(true);
    fake.app.emit('second-instance', new FakeEvent(), ['sportello']);
    expect(FakeBrowserWindow.created[0]?.focused).toBe(1);
  });

  it('is told to quit when another instance holds the lock', () => {
    fake.app.singleInstanceLock = false;
    expect(claimSingleInstance(asElectron<App>(fake.app), () => {})).toBe(false);
    fake.app.singleInstanceLock = true;
  });
});
