/**
 * A customer's message asking for a code, or claiming to be WhatsApp's support, carries the
 * banner that nobody of them ever asks for a code in a chat, with why, in English and in Italian;
 * an everyday message carries none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSendsAsIs } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const ASKING = {
  en: 'Hello, this is WhatsApp Support. Please send me the 6-digit code we sent you.',
  it: 'Ciao, sono del team di WhatsApp. Ti abbiamo inviato un codice via SMS, inviamelo per verificare il tuo account.',
};

describe('the banner on a customer asking for a code', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`says nobody asks for a code in a chat, and why this message looks like it (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      await reachInbox(session, { username: `codes${language}`, displayName: 'Sara Neri', roles: ['supervisor'] });
      const { page } = session.app;
      const { tr, stack } = session;
      const asker = customer(stack.t, 0);
      await customerSendsAsIs(stack.t, asker, { type: 'text', text: { body: ASKING[language] } });
      await customerSendsAsIs(stack.t, asker, { type: 'text', text: { body: 'Thanks, and when does my parcel come?' } });
      await conversationRow(session, asker.name).click();
      await heading(session, asker.name).waitFor();
      const log = page.getByRole('log');
      const asking = log.getByRole('article').filter({ hasText: ASKING[language] });
      const banner = asking.getByRole('note').filter({ hasText: tr('codes.inboundWarning') });
      await banner.waitFor();
      await banner.getByText(tr('codes.reason.asks_for_code'), { exact: true }).waitFor();
      await banner.getByText(tr('codes.reason.claims_to_be_support'), { exact: true }).waitFor();
      const everyday = log.getByRole('article').filter({ hasText: 'when does my parcel come' });
      await everyday.waitFor();
      expect(await everyday.locator('.code-request-warning').count()).toBe(0);
      expect(session.app.complaints).toEqual([]);
    });
  }
});
