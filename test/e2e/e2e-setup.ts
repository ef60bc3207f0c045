/**
 * What every end-to-end test file starts with: the renderer built as shipped, served with the
 * app's headers, the page bridge bundled from the preload's builder, and Debian's Chromium.
 */
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { runEvery } from '../helpers/run-every.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { buildRenderer } from './harness/build-renderer.js';
import { bundlePageBridge } from './harness/bundle-bridge.js';
import type { UiLanguage } from './harness/catalogue.js';
import { translator } from './harness/catalogue.js';
import type { ClientStackOptions } from './harness/client-stack.js';
import { startClientStack } from './harness/client-stack.js';
import type { AppPage, OpenAppOptions } from './harness/open-app.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, openApp } from './harness/open-app.js';
import { serveRenderer } from './harness/renderer-server.js';
import type { RendererServer } from './harness/renderer-server.js';
import type { Session } from './harness/app-driver.js';

export interface E2eEnvironment {
  readonly browser: Browser;
  readonly renderer: RendererServer;
  readonly bridgeScript: string;
  /** A fresh stack and page, speaking `language`; closed by `close`. */
  open(language: UiLanguage, options?: ClientStackOptions & Pick<OpenAppOptions, 'viewport' | 'arrivalsAsTasks'>): Promise<Session>;
  /** Closes every page, stack and the browser, and removes what they made on disk, even when one of them fails. */
  close(): Promise<void>;
}

const LOCALES: Record<UiLanguage, string> = { en: 'en-GB', it: 'it-IT' };

export async function startE2e(rendererDir?: string): Promise<E2eEnvironment> {
  const temp = rendererDir === undefined ? makeTempDir('sportello-renderer-') : undefined;
  const [built, bridgeScript] = await Promise.all([buildRenderer(rendererDir ?? temp?.dir ?? ''), bundlePageBridge()]);
  const renderer = await serveRenderer(built);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const opened: Array<{ app?: AppPage; close: () => Promise<void> }> = [];
  return {
    browser,
    renderer,
    bridgeScript,
    async open(language, options = {}) {
      // The workstation's OS speaks the language: the renderer picks it from getInfo().osLocale.
      const stack = await startClientStack({ locale: LOCALES[language], ...options });
      // Kept before the page opens: a page that fails to open still leaves a stack to close.
      const entry: { app?: AppPage; close: () => Promise<void> } = { close: () => stack.close() };
      opened.push(entry);
      const app = await openApp({
        browser,
        backend: stack.core,
        rendererUrl: renderer.url,
        bridgeScript,
        locale: LOCALES[language],
        ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
        ...(options.arrivalsAsTasks === undefined ? {} : { arrivalsAsTasks: options.arrivalsAsTasks }),
      });
      entry.app = app;
      return { app, stack, tr: translator(language) };
    },
    async close() {
      // Every part is closed even when one fails; the first failure is thrown once all are done.
      await runEvery([
        ...opened.splice(0).flatMap(({ app, close }) => [() => app?.close(), close]),
        () => browser.close(),
        () => renderer.close(),
        () => temp?.remove(),
      ]);
    },
  };
}
