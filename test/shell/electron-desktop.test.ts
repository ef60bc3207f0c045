/** The Desktop: links open only as https and only after the user confirms the real host; files and notifications. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCodedError } from '../../common/errors/coded-error.js';
import { desktopTextFor } from '../../main/desktop-text/desktop-text.js';
import { MAX_PICKED_FILE_BYTES } from '../../main/file-picking/read-picked-file.js';
import { createElectronDesktop } from '../../main/shell/electron-desktop.js';
import { MainWindow } from '../../main/shell/main-window.js';
import { FakeBrowserWindow, FakeNotification, fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-desktop-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

let window: MainWindow;

function desktop(locale = 'en-US') {
  return createElectronDesktop(window, desktopTextFor(locale));
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isCodedError(error) ? error.code : `uncoded: ${String(error)}`;
  }
  return 'resolved';
}

beforeEach(() => {
  FakeBrowserWindow.created = [];
  FakeNotification.shown = [];
  fake.shell.opened = [];
  fake.dialog.messageBoxCalls = [];
  fake.dialog.openDialogCalls = [];
  fake.dialog.saveDialogCalls = [];
  window = new MainWindow({ preloadPath: '/preload.js', isPackaged: true, onLoadFailed: () => {} });
});

describe('openExternal', () => {
  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'smb://server/share',
    'ms-settings:privacy',
    'whatsapp://send?text=hi',
    'not a url',
    '',
  ])('refuses %j without asking the system', async (url) => {
    expect(await codeOf(desktop().openExternal(url))).toBe('link_refused');
    expect(fake.shell.opened).toEqual([]);
  });

  it('hands an https link to the system browser', async () => {
    await desktop().openExternal('https://example.com/path?q=1');
    expect(fake.shell.opened).toEqual(['https://example.com/path?q=1']);
  });
});

describe('confirmOpenLink', () => {
  it('is false when the user cancels, and the link is not opened', async () => {
    fake.dialog.messageBoxResponse = 0;
    expect(await desktop().confirmOpenLink({ url: 'https://example.com/pay', host: 'example.com' })).toBe(false);
    expect(fake.shell.opened).toEqual([]);
  });

  it('is true only when the user chooses Open', async () => {
    fake.dialog.messageBoxResponse = 1;
    expect(await desktop().confirmOpenLink({ url: 'https://example.com/pay', host: 'example.com' })).toBe(true);
  });

  it('shows the real host in the message and the full URL in the detail, with Cancel as default and cancel', async () => {
    window.open();
    fake.dialog.messageBoxResponse = 0;
    await desktop().confirmOpenLink({ url: 'https://xn--pple-43d.com/login?next=%2F', host: 'xn--pple-43d.com' });
    const [call] = fake.dialog.messageBoxCalls;
    expect(call?.parent).toBe(FakeBrowserWindow.created[0]);
    expect(call?.options.message).toContain('xn--pple-43d.com');
    expect(call?.options.detail).toContain('https://xn--pple-43d.com/login?next=%2F');
    expect(call?.options.buttons).toEqual(['Cancel', 'Open']);
    expect(call?.options.defaultId).toBe(0);
    expect(call?.options.cancelId).toBe(0);
  });

  it('asks about the registrable domain the link goes to, not a brand in front of it, and opens it without a user name', async () => {
    fake.dialog.messageBoxResponse = 0;
    const deceiving = 'https://bank.com@www.bank.com.evil.example/login';
    expect(await desktop().confirmOpenLink({ url: deceiving, host: 'www.bank.com.evil.example' })).toBe(false);
    const [call] = fake.dialog.messageBoxCalls;
    expect(call?.options.message).toContain('evil.example');
    expect(call?.options.message).not.toContain('bank.com');
    expect(call?.options.detail).toContain('https://www.bank.com.evil.example/login');
    expect(call?.options.detail).not.toContain('@');
    await desktop().openExternal(deceiving);
    expect(fake.shell.opened).toEqual(['https://www.bank.com.evil.example/login']);
  });

  it('shows a flagged link’s host in Unicode and in punycode, with the warnings, in English and Italian', async () => {
    fake.dialog.messageBoxResponse = 0;
    const link = { url: 'https://xn--pypal-4ve.com/login', host: 'xn--pypal-4ve.com', flags: ['punycode', 'mixed_scripts', 'user_info'] as const };
    expect(await desktop().confirmOpenLink(link)).toBe(false);
    expect(await desktop('it-IT').confirmOpenLink(link)).toBe(false);
    const [english, italian] = fake.dialog.messageBoxCalls.map((call) => call.options.detail ?? '');
    expect(english).toContain('Site: pаypal.com');
    expect(english).toContain('Written as: xn--pypal-4ve.com');
    expect(english).toContain('• has an address written in another alphabet (a possible look-alike)');
    expect(english).toContain('• has a name in front of @ that hides the real site');
    expect(italian).toContain('Sito: pаypal.com');
    expect(italian).toContain('Scritto come: xn--pypal-4ve.com');
    expect(italian).toContain('• ha un nome prima di @ che nasconde il sito vero');
    expect(fake.shell.opened).toEqual([]);
  });

  it('speaks Italian on an Italian system', async () => {
    await desktop('it-IT').confirmOpenLink({ url: 'https://example.com/', host: 'example.com' });
    expect(fake.dialog.messageBoxCalls[0]?.options.buttons).toEqual(['Annulla', 'Apri']);
  });

  it('never confirms a host other than the URL’s own, nor a non-https link', async () => {
    fake.dialog.messageBoxResponse = 1;
    expect(await desktop().confirmOpenLink({ url: 'https://evil.example/', host: 'bank.example' })).toBe(false);
    expect(await desktop().confirmOpenLink({ url: 'http://bank.example/', host: 'bank.example' })).toBe(false);
    expect(fake.dialog.messageBoxCalls).toEqual([]);
  });
});

describe('pickFile', () => {
  it('is null when the dialog is cancelled', async () => {
    fake.dialog.openDialogResult = { canceled: true, filePaths: [] };
    expect(await desktop().pickFile()).toBeNull();
    expect(fake.dialog.openDialogCalls[0]?.options.properties).toContain('openFile');
    expect(fake.dialog.openDialogCalls[0]?.options.properties).not.toContain('multiSelections');
  });

  it('reads the one chosen file', async () => {
    const file = path.join(workDir, 'invoice.pdf');
    fs.writeFileSync(file, '%PDF-1.7 bytes');
    fake.dialog.openDialogResult = { canceled: false, filePaths: [file] };
    const picked = await desktop().pickFile();
    expect(picked?.name).toBe('invoice.pdf');
    expect(Buffer.from(picked?.bytes ?? []).toString()).toBe('%PDF-1.7 bytes');
  });

  it('refuses a file over 100 MB with a clear error', async () => {
    const file = path.join(workDir, 'huge.mp4');
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, MAX_PICKED_FILE_BYTES + 1);
    fake.dialog.openDialogResult = { canceled: false, filePaths: [file] };
    const failure = await desktop()
      .pickFile()
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isCodedError(failure) && failure.code).toBe('media_too_large');
    expect(failure instanceof Error && failure.message).toContain('100 MB');
  });
});

describe('chooseSavePath', () => {
  it('is null when the dialog is cancelled', async () => {
    fake.dialog.saveDialogResult = { canceled: true, filePath: '' };
    expect(await desktop().chooseSavePath('analytics.csv')).toBeNull();
  });

  it('offers the suggested name with its type, asks before overwriting, and answers the chosen path', async () => {
    window.open();
    fake.dialog.saveDialogResult = { canceled: false, filePath: '/home/anna/Documents/march.csv' };
    expect(await desktop('it-IT').chooseSavePath('analytics-2026-11-01.csv')).toBe('/home/anna/Documents/march.csv');
    const [call] = fake.dialog.saveDialogCalls;
    expect(call?.parent).toBe(FakeBrowserWindow.created[0]);
    expect(call?.options).toMatchObject({
      title: 'Salva il file',
      defaultPath: 'analytics-2026-11-01.csv',
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    expect(call?.options.properties).toContain('showOverwriteConfirmation');
  });
});

describe('notify', () => {
  it('shows the text it is given, not silenced', () => {
    desktop().notify({ title: 'Mario Rossi', body: 'Ciao!' });
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Mario Rossi', body: 'Ciao!', silent: false }]);
  });

  it('shows a generic line, never message text, when the body is withheld', () => {
    desktop().notify({ title: 'New message', body: null });
    expect(FakeNotification.shown[0]?.options.body).toBe('Open Sportello to read it.');
  });

  it('brings the window forward when clicked', () => {
    window.open();
    desktop().notify({ title: 'New message', body: null });
    FakeNotification.shown[0]?.emit('click');
    expect(FakeBrowserWindow.created[0]?.focused).toBe(1);
  });
});

describe('setContentProtection', () => {
  it('blocks and unblocks screenshots of the window', () => {
    window.open();
    desktop().setContentProtection(true);
    expect(FakeBrowserWindow.created[0]?.contentProtected).toBe(true);
    desktop().setContentProtection(false);
    expect(FakeBrowserWindow.created[0]?.contentProtected).toBe(false);
  });
});
