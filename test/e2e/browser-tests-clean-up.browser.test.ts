/**
 * The browser tests clean up what they make: Chromium's profile, the renderer build, the servers'
 * data directories and the workstations' user-data directories all live in the temporary directory
 * while a test runs and are gone after it, also when a page fails to open; the approval page's
 * screenshots go only where SPORTELLO_TEST_SCREENSHOTS says, never into a fixed /tmp path.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS_ENV } from '../helpers/browser-screenshot.js';
import { PROJECT_ROOT } from './harness/build-renderer.js';
import { startE2e } from './e2e-setup.js';

// This file's own temporary directory (one fork per file), so other tests' files do not count.
const privateTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-cleanup-check-'));
process.env.TMPDIR = privateTemp;
afterAll(() => fs.rmSync(privateTemp, { recursive: true, force: true }));

const leftovers = (dir = privateTemp) => fs.readdirSync(dir).sort();

describe('what the browser tests leave in the temporary directory', () => {
  it('is nothing once a session is closed, though the profile, the build and the data dirs were there while it ran', async () => {
    expect(os.tmpdir()).toBe(privateTemp);
    const e2e = await startE2e();
    await e2e.open('en');
    const running = leftovers();
    try {
      expect(running.some((name) => name.startsWith('playwright_chromiumdev_profile-'))).toBe(true);
      expect(running.some((name) => name.startsWith('sportello-renderer-'))).toBe(true);
      expect(running.some((name) => name.startsWith('sportello-test-'))).toBe(true);
      expect(running.some((name) => name.startsWith('sportello-client-'))).toBe(true);
    } finally {
      await e2e.close();
    }
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('is nothing when a page fails to open after its stack has started', async () => {
    const e2e = await startE2e();
    // Chromium gone (crashed, killed): the next page cannot open, but its server and workstation had started.
    await e2e.browser.close();
    await expect(e2e.open('en')).rejects.toThrow();
    await e2e.close();
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('is nothing after the approval page’s browser test, whose screenshots land only in the folder named', () => {
    const screenshots = fs.mkdtempSync(path.join(privateTemp, 'screens-'));
    const childTemp = fs.mkdtempSync(path.join(privateTemp, 'child-'));
    const run = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/approval-page/approval-page.browser.test.ts'],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, TMPDIR: childTemp, [SCREENSHOTS_ENV]: screenshots, CI: '1' },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(leftovers(childTemp)).toEqual([]);
    expect(leftovers(screenshots)).toEqual([
      'approval-page-approved.png',
      'approval-page-details-320.png',
      'approval-page-details.png',
      'approval-page-login.png',
      'approval-page-wrong-password.png',
    ]);
  }, 150_000);
});
