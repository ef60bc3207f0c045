/**
 * An install whose key an approved re-pairing replaced showed the revoked screen of an admin's
 * revocation: "An administrator removed this workstation's access", the app's own words under
 * "Reason given", and "contact IT: the workstation must be approved again", though the new
 * installation already is. Now it says what happened in the app's words, with no "Reason given",
 * and sends the person to the new installation, or to IT if nobody here reinstalled Sportello.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IT } from '../helpers/identity-setup.js';
import { reachInbox, waitForHeading } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { reinstallAsksToPair } from './harness/client-stack.js';
import type { Workstation } from './harness/client-stack.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe.each<UiLanguage>(['en', 'it'])('the revoked screen of an install whose key was replaced, in %s', (language) => {
  let e2e: E2eEnvironment;
  let session: Session;
  let reinstalled: Workstation | undefined;

  beforeAll(async () => {
    e2e = await startE2e();
    const rawMachineId = crypto.randomUUID();
    session = await e2e.open(language, { hostname: 'front-desk-04', rawMachineId });
    await reachInbox(session, { username: `paolo${language}`, displayName: 'Paolo Ricci', roles: ['agent'] });
    // Sportello reinstalled on the same machine asks to pair with a new key, and IT approves it.
    const reinstall = await reinstallAsksToPair(session.stack.t, { hostname: 'front-desk-04', rawMachineId });
    reinstalled = reinstall.workstation;
    await session.stack.t.server.identity.pairing.approve(reinstall.pairing.code.replace('-', ''), IT);
  }, 120_000);
  afterAll(async () => {
    await reinstalled?.close();
    await e2e?.close();
  });

  it('says what happened in the app’s words and sends the person to the new installation', async () => {
    const { page } = session.app;
    const { tr } = session;
    await waitForHeading(session, tr('revoked.title'));
    expect(session.stack.core.state).toMatchObject({ screen: 'revoked', reasonCode: 'key_replaced', dataErased: true });
    await page.getByText(tr('revoked.reasons.key_replaced'), { exact: true }).waitFor();
    expect(await page.getByText(tr('revoked.nextKeyReplaced'), { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText(tr('revoked.erased'), { exact: true }).isVisible()).toBe(true);
    // Not an admin's revocation: no "Reason given", no "removed by an administrator", no "ask to be approved again".
    for (const key of ['revoked.reason', 'revoked.explanation', 'revoked.next']) {
      expect(await page.getByText(tr(key), { exact: true }).count(), key).toBe(0);
    }
    expect(session.app.complaints).toEqual([]);
  });
});
