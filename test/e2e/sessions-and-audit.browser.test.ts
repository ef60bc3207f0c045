/**
 * The admin screens "who is signed in where" and "audit log" in Chromium against the real stack:
 * the admin ends an agent's session on another workstation (which shows its sign-in screen at
 * once), not their own; then reads the log filtered by action and by who acted, a page at a
 * time, and verifies the chain, as the CLI's audit verify does.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { runEvery } from '../helpers/run-every.js';
import { reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { startWorkstation, untilScreen } from './harness/client-stack.js';
import type { Workstation } from './harness/client-stack.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('sessions and the audit log', () => {
  let e2e: E2eEnvironment;
  let session: Session;
  let frontDesk: Workstation;

  beforeAll(async () => {
    e2e = await startE2e();
    session = await e2e.open('en');
    await reachInbox(session, { username: 'irene', displayName: 'Irene Costa', roles: ['admin'] });
    frontDesk = await startWorkstation(session.stack.t, { hostname: 'front-desk-03' });
    const { call, waitFor } = coreDriver(frontDesk.core);
    await pairAndEnroll(session.stack.t, call, waitFor, 'luca', 'supervisor');
    await waitFor('inbox');
  }, 120_000);
  afterAll(async () => {
    const complaints = session?.app.complaints ?? [];
    await runEvery([() => frontDesk?.close(), () => e2e?.close()]);
    expect(complaints).toEqual([]);
  });

  it('ends another workstation’s session, which signs out at once, and offers no end for one’s own', async () => {
    const { page } = session.app;
    const { tr } = session;
    await page.getByRole('button', { name: tr('inbox.section.sessions') }).click();
    const own = page.getByRole('row').filter({ hasText: 'Irene Costa' });
    await own.getByText(tr('sessions.current')).waitFor();
    expect(await own.getByRole('button').count()).toBe(0);
    const lucas = page.getByRole('row').filter({ hasText: 'front-desk-03' });
    await lucas.waitFor();
    // Its times in the admin's time zone (the workstation's, Europe/Rome), not the browser's (the machine's).
    const signedIn = await session.stack.t.server.database.db
      .selectFrom('sessions')
      .innerJoin('agents', 'agents.id', 'sessions.agent_id')
      .select('sessions.created_at')
      .where('agents.username', '=', 'luca')
      .executeTakeFirstOrThrow();
    const inRome = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' }).format(signedIn.created_at);
    expect(await lucas.locator('td').nth(4).textContent()).toBe(inRome);
    await lucas.getByRole('button', { name: tr('sessions.endNamed', { name: 'luca', where: 'Desk' }) }).click();
    const dialog = page.getByRole('dialog', { name: tr('sessions.endTitle', { name: 'luca', where: 'Desk' }) });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: tr('sessions.end') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('sessions.ended', { name: 'luca', where: 'Desk' }) })
      .waitFor();
    await untilScreen(frontDesk, 'signed_out');
    expect(frontDesk.core.state).toMatchObject({ problem: { code: 'session_ended' } });
    await lucas.waitFor({ state: 'detached' });
  });

  it('filters the log by action and by who acted, pages through it, and verifies the chain', async () => {
    const { page } = session.app;
    const { tr, stack } = session;
    // More than a page of entries of one kind.
    for (let index = 0; index < 55; index += 1) {
      await stack.t.server.identity.devices.allow([{ machineId: crypto.randomBytes(32).toString('hex'), label: `Till ${index}` }], IT, 'single');
    }
    await page.getByRole('button', { name: tr('inbox.section.audit') }).click();
    // The newest entry's time in the admin's time zone (Europe/Rome), not the browser's (the machine's).
    const newest = await stack.t.server.database.db.selectFrom('audit_log').select('at').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const shown = page.locator('.admin-table tbody tr').first().locator('time');
    await shown.waitFor();
    const [inRome, inUtc] = await page.evaluate(
      (at) =>
        ['Europe/Rome', 'UTC'].map((timeZone) =>
          [(globalThis as unknown as { navigator: { language: string } }).navigator.language, 'en', 'en-GB'].map((locale) =>
            new Date(at).toLocaleString(locale, { timeZone }),
          ),
        ),
      newest.at,
    );
    expect(inRome).toContain(await shown.textContent());
    expect(inUtc).not.toContain(await shown.textContent());
    const filters = page.getByRole('form', { name: tr('audit.filtersLabel') });
    const actions = () => page.locator('.admin-table tbody tr td:nth-child(2)').allTextContents();
    await filters.getByLabel(tr('audit.action')).fill('session');
    await filters.getByRole('button', { name: tr('audit.apply') }).click();
    await page.locator('.admin-table tbody tr').filter({ hasText: 'session.ended' }).waitFor();
    expect((await actions()).every((action) => action.startsWith('session.'))).toBe(true);

    await filters.getByLabel(tr('audit.action')).fill('device.allowlisted');
    await filters.getByLabel(tr('audit.actor')).fill('cli:it-admin');
    await filters.getByRole('button', { name: tr('audit.apply') }).click();
    await page.getByRole('heading', { name: tr('audit.entriesTitle', { page: 1 }) }).waitFor();
    await page.locator('.admin-table tbody tr').nth(49).waitFor();
    expect(await page.locator('.admin-table tbody tr').count()).toBe(50);
    const firstPage = await page.locator('.admin-table tbody tr').allTextContents();
    await page.getByRole('button', { name: tr('audit.older') }).click();
    await page.getByRole('heading', { name: tr('audit.entriesTitle', { page: 2 }) }).waitFor();
    const secondPage = await page.locator('.admin-table tbody tr').allTextContents();
    expect(secondPage.length).toBeGreaterThanOrEqual(5);
    expect(secondPage.filter((row) => firstPage.includes(row))).toEqual([]);
    await page.getByRole('button', { name: tr('audit.newest') }).click();
    await page.getByRole('heading', { name: tr('audit.entriesTitle', { page: 1 }) }).waitFor();

    // A range that ends before it starts: refused in the admin's words.
    await filters.getByLabel(tr('audit.from')).fill('2026-03-02');
    await filters.getByLabel(tr('audit.to')).fill('2026-03-01');
    await filters.getByRole('button', { name: tr('audit.apply') }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: tr('errors.invalid_request') })
      .waitFor();
    await filters.getByRole('button', { name: tr('audit.clear') }).click();

    // The chain as it stands before the check (which then records itself).
    const rows = (await stack.t.server.database.db.selectFrom('audit_log').select('id').execute()).length;
    await page.getByRole('button', { name: tr('audit.verify') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('audit.holds_other', { count: rows }) })
      .waitFor();
  });
});
