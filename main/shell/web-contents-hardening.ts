/**
 * What any web contents may do on its own: nothing that leaves the app. No navigation or
 * redirect of any frame, no new windows, no webviews, no Bluetooth device picking. Applied to
 * every web contents the app ever creates, not only the main window's. Links open only through
 * the core's openLink call.
 */
import type { App, WebContents } from 'electron';

function refuse(event: { preventDefault(): void }): void {
  event.preventDefault();
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', refuse);
  contents.on('will-frame-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', refuse);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Without a handler Electron picks the first Bluetooth device found; an empty id cancels.
  contents.on('select-bluetooth-device', (event, _devices, choose) => {
    event.preventDefault();
    choose('');
  });
}

export function hardenEveryWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
