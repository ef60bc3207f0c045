/**
 * The Desktop on Electron: the native file picker and save dialog, the link confirmation that shows the real
 * host, the system browser for https links only, notifications that carry message text only when
 * the core gives it, and screenshot blocking on the window.
 */
import { Notification, dialog, shell } from 'electron';
import type { BrowserWindow, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { CodedError } from '../../common/errors/coded-error.js';
import type { InboundLinkFlag } from '../../common/links/link-policy.js';
import { hostnameToUnicode } from '../../common/links/punycode.js';
import { linkDestination } from '../../common/links/shown-host.js';
import type { LinkDestination } from '../../common/links/shown-host.js';
import type { DesktopText } from '../desktop-text/desktop-text.js';
import { readPickedFile } from '../file-picking/read-picked-file.js';
import type { Desktop } from '../platform/platform.js';
import type { MainWindow } from './main-window.js';

const OPEN_BUTTON = 1;
const CANCEL_BUTTON = 0;

function showOpenDialog(parent: BrowserWindow | null, options: OpenDialogOptions) {
  return parent === null ? dialog.showOpenDialog(options) : dialog.showOpenDialog(parent, options);
}

function showSaveDialog(parent: BrowserWindow | null, options: SaveDialogOptions) {
  return parent === null ? dialog.showSaveDialog(options) : dialog.showSaveDialog(parent, options);
}

/** The dialog's file type filter, from the suggested name's extension (csv: “CSV”). */
function filtersFor(suggestedName: string): SaveDialogOptions['filters'] {
  const extension = /\.([a-z0-9]+)$/i.exec(suggestedName)?.[1];
  return extension === undefined ? [] : [{ name: extension.toUpperCase(), extensions: [extension.toLowerCase()] }];
}

function showMessageBox(parent: BrowserWindow | null, options: MessageBoxOptions) {
  return parent === null ? dialog.showMessageBox(options) : dialog.showMessageBox(parent, options);
}

/** The link as common/links opens it, or null when it may not be opened. */
function destinationOf(url: string): LinkDestination | null {
  try {
    return linkDestination(url);
  } catch {
    return null;
  }
}

/** The real host in Unicode and in punycode, what is suspicious about the link, and the full address. */
function linkDetail(text: DesktopText, link: LinkDestination, flags: readonly InboundLinkFlag[]): string {
  const lines = [text.linkHost(hostnameToUnicode(link.hostname), link.hostname)];
  if (flags.length > 0) lines.push('', text.linkWarningsHeading, ...flags.map((flag) => `• ${text.linkFlags[flag]}`));
  lines.push('', text.openLinkDetail(link.href));
  return lines.join('\n');
}

export function createElectronDesktop(window: MainWindow, text: DesktopText): Desktop {
  // Held until closed: on Windows a collected Notification loses its click handler.
  const showing = new Set<Notification>();
  return {
    async pickFile() {
      const result = await showOpenDialog(window.current(), { title: text.attachTitle, properties: ['openFile', 'dontAddToRecent'] });
      const [filePath] = result.filePaths;
      if (result.canceled || filePath === undefined) return null;
      return readPickedFile(filePath);
    },

    async chooseSavePath(suggestedName) {
      const result = await showSaveDialog(window.current(), {
        title: text.saveTitle,
        defaultPath: suggestedName,
        filters: filtersFor(suggestedName),
        properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
      });
      return result.canceled || result.filePath === undefined || result.filePath === '' ? null : result.filePath;
    },

    async confirmOpenLink({ url, host, flags = [] }) {
      const link = destinationOf(url);
      // The host asked about must be where the browser will go; a mismatch is never confirmed.
      if (link === null || link.host !== host) return false;
      const { response } = await showMessageBox(window.current(), {
        type: 'warning',
        title: text.openLinkTitle,
        message: text.openLinkQuestion(link.shownHost),
        detail: linkDetail(text, link, flags),
        buttons: [text.cancel, text.open],
        defaultId: CANCEL_BUTTON,
        cancelId: CANCEL_BUTTON,
        noLink: true,
      });
      return response === OPEN_BUTTON;
    },

    async openExternal(url) {
      const link = destinationOf(url);
      if (link === null) throw new CodedError('link_refused', 'Only https links can be opened in the browser.');
      await shell.openExternal(link.href);
    },

    notify({ title, body }) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body: body ?? text.notificationWithoutText, silent: false });
      showing.add(notification);
      notification.on('click', () => window.focus());
      notification.on('close', () => showing.delete(notification));
      notification.show();
    },

    setContentProtection(blocked) {
      window.setContentProtection(blocked);
    },
  };
}
