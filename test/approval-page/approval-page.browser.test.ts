/**
 * The approval page in a real browser (Debian's Chromium through playwright-core) on a phone-sized
 * viewport, against a real listening server: IT scans the workstation's QR, logs in with password
 * and TOTP, compares the fingerprint and approves or rejects; the workstation then learns its
 * state through its own signed status call. Screenshots go where SPORTELLO_TEST_SCREENSHOTS says,
 * for a person to look at (nowhere by default).
 */
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { screenshot } from '../helpers/browser-screenshot.js';
import { runEvery } from '../helpers/run-every.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { deviceStatus, enrolledWithRole, nextTotp, pendingPairing } from './page-fixtures.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
/** An expression evaluated in the page (as text: the tests compile without the DOM's types). */
const computedStyle = (selector: string, property: 'fontSize' | 'backgroundColor') =>
  `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`;
/** A common phone: 390×844 CSS pixels. */
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-GB' };

describe('approving a workstation from a phone, in Chromium', () => {
  let browser: Browser;
  let t: TestServer;
  let admin: EnrolledAgent;
  const contexts: BrowserContext[] = [];
  /**
   * What the browser complained about: a CSP refusal or a page error would show up here. A
   * status line ("Failed to load resource": the 401 of a failed login, the favicon's 404) is not
   * a complaint about the page.
   */
  const complaints: string[] = [];

  const openPhone = async (options: BrowserContextOptions = {}): Promise<Page> => {
    const context = await browser.newContext({ ...PHONE, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (!message.text().startsWith('Failed to load resource')) complaints.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => complaints.push(`pageerror: ${error.message}`));
    return page;
  };
  const logIn = async (page: Page, password: string, code: string): Promise<void> => {
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('6-digit code or recovery code').fill(code);
    await page.getByRole('button', { name: 'Log in' }).click();
  };

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    t = await startTestServer();
    admin = await enrolledWithRole(t, 'irene', 'admin');
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(complaints.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await runEvery([() => browser?.close(), () => t?.close()]);
  });

  it('logs in with password and TOTP, shows the hostname and the exact fingerprint, and approves', async () => {
    const pairing = await pendingPairing(t, { hostname: 'frontdesk-02.acme.local', label: 'Front desk 2' });
    const page = await openPhone();
    await page.goto(pairing.approvalUrl);
    await page.getByRole('heading', { name: 'Approve a workstation' }).waitFor();
    expect(await page.getByText(pairing.code).count()).toBe(1);
    await screenshot(page, 'approval-page-login', { fullPage: true });

    await logIn(page, admin.password, await nextTotp(admin));
    await page.getByRole('heading', { name: 'Workstation asking to pair' }).waitFor();
    expect(await page.getByText('frontdesk-02.acme.local', { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('#fingerprint').textContent()).toBe(pairing.keyFingerprint);
    // The stylesheet loaded under the CSP: the fingerprint is set large and the Approve button is coloured.
    expect(parseFloat(await page.evaluate<string>(computedStyle('#fingerprint', 'fontSize')))).toBeGreaterThanOrEqual(20);
    expect(await page.evaluate<string>(computedStyle('button.approve', 'backgroundColor'))).toBe('rgb(23, 117, 58)');
    await screenshot(page, 'approval-page-details', { fullPage: true });
    // Nothing runs off the side, down to the narrowest phones.
    for (const width of [390, 320]) {
      await page.setViewportSize({ width, height: 700 });
      expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `at ${width} px`).toBeLessThanOrEqual(width);
    }
    await screenshot(page, 'approval-page-details-320', { fullPage: true });

    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Approved' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Approved: Front desk 2 can now be used.');
    await screenshot(page, 'approval-page-approved', { fullPage: true });
    expect(await deviceStatus(pairing.device)).toBe('active');
  });

  it('rejects, with JavaScript turned off', async () => {
    const pairing = await pendingPairing(t, { label: 'Unknown laptop' });
    const page = await openPhone({ javaScriptEnabled: false });
    await page.goto(pairing.approvalUrl);
    await logIn(page, admin.password, admin.recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('heading', { name: 'Rejected' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Rejected: Unknown laptop will not be paired.');
    expect(await deviceStatus(pairing.device)).toBe('rejected');
  });

  it('shows the generic error for a wrong password, and keeps the form', async () => {
    const pairing = await pendingPairing(t);
    const page = await openPhone();
    await page.goto(pairing.approvalUrl);
    await logIn(page, 'not the right password', admin.recoveryCodes[1] ?? '');
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toBe('The username, password or code is not right.');
    expect(await page.getByLabel('Username').inputValue()).toBe(admin.username);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await screenshot(page, 'approval-page-wrong-password', { fullPage: true });
    expect(await deviceStatus(pairing.device)).toBe('pending');
  });
});
