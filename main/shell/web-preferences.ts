/**
 * Every renderer's web preferences: sandboxed, isolated, no Node anywhere, no webview, web
 * security on, DevTools only in unpackaged (development) builds. One constant, so a test can
 * assert each setting.
 */
import type { WebPreferences } from 'electron';

export const HARDENED_WEB_PREFERENCES = {
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
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const satisfies WebPreferences;

export function mainWindowWebPreferences(options: { preloadPath: string; isPackaged: boolean }): WebPreferences {
  return { ...HARDENED_WEB_PREFERENCES, devTools: !options.isPackaged, preload: options.preloadPath };
}
