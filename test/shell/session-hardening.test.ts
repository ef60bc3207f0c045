/** The renderer's session grants nothing: permissions, devices, screen capture, downloads. */
import { describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import { FakeEvent, FakeSession, FakeWebContents, asElectron } from './fake-electron.js';
import { hardenSession } from '../../main/shell/session-hardening.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

const PERMISSIONS = [
  'media',
  'notifications',
  'geolocation',
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'openExternal',
  'hid',
  'serial',
  'usb',
  'midi',
  'pointerLock',
  'unknown',
];

function hardened(): FakeSession {
  const session = new FakeSession();
  hardenSession(asElectron<Session>(session));
  return session;
}

describe('the session', () => {
  it.each(PERMISSIONS)('refuses a request for %s', (permission) => {
    const answers: boolean[] = [];
    hardened().permissionRequestHandler?.(new FakeWebContents(), permission, (granted) => answers.push(granted), {
      requestingUrl: 'app://sportello/index.html',
      isMainFrame: true,
    });
    expect(answers).toEqual([false]);
  });

  it.each(PERMISSIONS)('answers no to a check for %s, even from the app’s own origin', (permission) => {
    expect(hardened().permissionCheckHandler?.(new FakeWebContents(), permission, 'app://sportello', { isMainFrame: true })).toBe(false);
  });

  it('refuses every device', () => {
    const session = hardened();
    for (const deviceType of ['hid', 'serial', 'usb']) {
      expect(session.devicePermissionHandler?.({ deviceType, origin: 'app://sportello', device: {} })).toBe(false);
    }
  });

  it('gives screen capture no stream', () => {
    const granted: unknown[] = [];
    hardened().displayMediaRequestHandler?.({ videoRequested: true, audioRequested: true, userGesture: true }, (streams) => granted.push(streams));
    expect(granted).toEqual([null]);
  });

  it('cancels downloads: files leave the app only through main', () => {
    const session = hardened();
    const event = new FakeEvent();
    session.emit('will-download', event, {}, new FakeWebContents());
    expect(event.defaultPrevented).toBe(true);
  });

  it('spell-checks in English and Italian', () => {
    expect(hardened().spellCheckerLanguages).toEqual(['en-US', 'it-IT']);
  });
});
