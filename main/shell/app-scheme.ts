/**
 * The app:// scheme the renderer is served from (never file://): registered as a privileged
 * standard, secure scheme before the app is ready, then answered from the built renderer
 * directory only, with the renderer's CSP on every response.
 */
import { protocol } from 'electron';
import type { Privileges } from 'electron';
import { APP_SCHEME } from '../app-protocol/app-origin.js';
import { serveRendererFile } from '../app-protocol/serve-renderer-file.js';

/** Standard and secure so it has a real origin and counts as a secure context; no fetch, CORS or streaming. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: false,
  corsEnabled: false,
  stream: false,
} as const satisfies Privileges;

/** Chromium fixes scheme privileges at start-up: this must run before the app's ready event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
}

export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(request, rendererDir));
}
