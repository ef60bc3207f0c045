/**
 * Screenshots the browser tests take for a person to look at: always taken (so a page that cannot
 * be drawn fails the test), written only where SPORTELLO_TEST_SCREENSHOTS names a folder, so a
 * test run leaves nothing behind by default.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOTS_ENV = 'SPORTELLO_TEST_SCREENSHOTS';

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const bytes = await page.screenshot({ fullPage: options.fullPage ?? false });
  const dir = process.env[SCREENSHOTS_ENV];
  if (dir === undefined || dir === '') return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.png`), bytes);
}
