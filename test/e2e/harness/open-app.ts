/**
 * Opens the built renderer in Chromium with `window.sportello` wired to a real main-process
 * backend in this process: calls travel through a Playwright binding into dispatchIpc (the same
 * dispatcher Electron's ipcMain handlers use), events come back through page.evaluate in the
 * order main emitted them. Everything the page says on its console is kept, for the tests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IPC_CHANNEL_PREFIX } from '../../../common/ipc/contract.js';
import type { IpcBackend } from '../../../main/ipc/ipc-dispatch.js';
import { dispatchIpc } from '../../../main/ipc/ipc-dispatch.js';
import { encodeBytes } from './bytes-over-binding.js';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Runs in the page: hands events, in order, to the bridge's listeners (page-bridge.ts). */
function deliverInPage(messages: unknown[]): void {
  const deliver = (globalThis as unknown as { __sportelloDeliver?: (message: unknown) => void }).__sportelloDeliver;
  for (const message of messages) deliver?.(message);
}

export interface AppPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every console message, as `type: text`. */
  readonly console: string[];
  /** Console errors and warnings, uncaught page errors and failures inside main's handlers: a healthy run has none. */
  readonly complaints: string[];
  close(): Promise<void>;
}

export interface OpenAppOptions {
  readonly browser: Browser;
  readonly backend: IpcBackend;
  readonly rendererUrl: string;
  readonly bridgeScript: string;
  readonly locale?: string;
  readonly viewport?: { width: number; height: number };
  /** Hand IPC replies and events to the page as tasks of their own, as Electron does (page-bridge.ts): for timing the page. */
  readonly arrivalsAsTasks?: boolean;
}

/** The browser asks every origin for /favicon.ico on its own; the app (and Electron) never does. */
function isFaviconMiss(text: string, url: string | undefined): boolean {
  return text.startsWith('Failed to load resource') && url?.endsWith('/favicon.ico') === true;
}

export async function openApp({
  browser,
  backend,
  rendererUrl,
  bridgeScript,
  locale = 'en-GB',
  viewport = { width: 1280, height: 800 },
  arrivalsAsTasks = false,
}: OpenAppOptions): Promise<AppPage> {
  const context = await browser.newContext({ locale, viewport, deviceScaleFactor: 1 });
  // Shorter than a test's own timeout, so a missing element fails with its locator named.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const consoleMessages: string[] = [];
  const complaints: string[] = [];
  page.on('console', (message) => {
    const line = `${message.type()}: ${message.text()}`;
    consoleMessages.push(line);
    if ((message.type() === 'error' || message.type() === 'warning') && !isFaviconMiss(message.text(), message.location().url)) complaints.push(line);
  });
  page.on('pageerror', (error) => complaints.push(`pageerror: ${error.message}`));

  await page.exposeBinding('__sportelloInvoke', async (_source, channel: unknown, request: unknown) => {
    const name = typeof channel === 'string' && channel.startsWith(IPC_CHANNEL_PREFIX) ? channel.slice(IPC_CHANNEL_PREFIX.length) : channel;
    const result = await dispatchIpc(backend, name, request, { onUnexpectedError: (call, error) => complaints.push(`main: ${call}: ${String(error)}`) });
    return encodeBytes(result);
  });
  if (arrivalsAsTasks) await page.addInitScript({ content: 'globalThis.__sportelloArrivalsAsTasks = true;' });
  await page.addInitScript({ content: bridgeScript });

  // Events go over in order, in batches: whatever main emitted while the last batch was crossing.
  const waiting: unknown[] = [];
  let delivery: Promise<void> | null = null;
  const flush = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting.splice(0);
      await page.evaluate(deliverInPage, batch).catch(() => undefined);
    }
    delivery = null;
  };
  const stopEvents = backend.onEvent((event, payload) => {
    waiting.push(encodeBytes({ event, payload }));
    delivery ??= flush();
  });

  await page.goto(rendererUrl);
  return {
    page,
    context,
    console: consoleMessages,
    complaints,
    async close() {
      stopEvents();
      await delivery;
      await context.close();
    },
  };
}
