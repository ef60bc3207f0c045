/**
 * An agent who types a message that asks the customer for personal data is asked what it is for,
 * in English and in Italian: Send waits until a purpose is chosen, the composer shows the line the
 * customer will read, and the message reaches the customer with that line. "Request personal data"
 * writes the request itself; a promotions request goes with Yes/No buttons, and the contact panel
 * shows what was asked and why, and records the customer's answer. The server refuses such a send
 * without a purpose (security test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataRequestText, purposeLine } from '../../common/personal-data/personal-data-purpose.js';
import { customer } from '../helpers/conversations.js';
import { until } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const ASKS: Record<UiLanguage, { readonly text: string; readonly hello: string }> = {
  en: { text: 'Could you send me your delivery address?', hello: 'Hello, I would like to change where my parcel is delivered please' },
  it: { text: 'Mi può indicare il suo indirizzo di consegna?', hello: 'Buongiorno, vorrei cambiare il luogo di consegna del mio pacco per favore' },
};

describe('personal data asked in the composer', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`waits for its purpose, shows the line added, and the contact panel records the answer (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      await reachInbox(session, { username: `purpose${language}`, displayName: 'Luca Bianchi', roles: ['agent'] });
      const { page } = session.app;
      const { tr, stack } = session;
      // Customer 0 writes in English, customer 1 in Italian: the line is in the customer's language.
      const caller = customer(stack.t, language === 'en' ? 0 : 1);
      await customerSays(stack.t, caller, ASKS[language].hello);
      await conversationRow(session, caller.name).click();
      await heading(session, caller.name).waitFor();
      const accepted = () => stack.t.sandbox.graph.accepted.map((message) => JSON.stringify(message.body));

      const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
      const send = page.getByRole('button', { name: tr('composer.send'), exact: true });
      await box.fill(ASKS[language].text);
      const prompt = page.getByRole('group', { name: tr('personalData.promptTitle') });
      await prompt.getByText(tr('personalData.asks', { kinds: tr('personalData.kind.address') }), { exact: true }).waitFor();
      expect(await send.isDisabled()).toBe(true);
      await box.press('Enter');
      expect(await box.inputValue()).toBe(ASKS[language].text);

      await prompt.getByLabel(tr('personalData.purposeLabel')).selectOption('shipping');
      const line = purposeLine(['address'], { purpose: 'shipping' }, language, null);
      await prompt.getByText(line, { exact: true }).waitFor();
      await send.click();
      await until('the sandbox got the message with its line', () =>
        Promise.resolve(accepted().some((body) => body.includes(JSON.stringify(`${ASKS[language].text}\n\n${line}`).slice(1, -1)))),
      );
      await expect.poll(() => box.inputValue()).toBe('');
      expect(await prompt.count()).toBe(0);

      const panel = page.getByRole('complementary', { name: tr('desk.contact.title') });
      const asked = panel.getByRole('region', { name: tr('personalData.sectionTitle') });
      await asked.getByText(tr('personalData.purpose.shipping')).waitFor();
      await asked.getByText(tr('personalData.consent.none'), { exact: true }).waitFor();

      // Request personal data: the agent ticks the kind and the purpose; the request is written for them.
      await page.getByRole('button', { name: tr('personalData.request'), exact: true }).click();
      const request = page.getByRole('group', { name: tr('personalData.requestTitle') });
      await request.getByLabel(tr('personalData.kind.email')).check();
      await request.getByLabel(tr('personalData.purposeLabel')).selectOption('promotions');
      await request.getByRole('button', { name: tr('personalData.compose'), exact: true }).click();
      const written = personalDataRequestText(['email'], language);
      expect(await box.inputValue()).toBe(written);
      await prompt.getByText(purposeLine(['email'], { purpose: 'promotions' }, language, null), { exact: true }).waitFor();
      await send.click();
      await until('the sandbox got the promotions request with its buttons', () =>
        Promise.resolve(accepted().some((body) => body.includes('"interactive"') && body.includes('sportello_promotions_consent_yes'))),
      );

      // The agent sees the buttons the customer was given under the message.
      const buttons = page.getByRole('log').getByRole('list', { name: tr('personalData.replyButtons') });
      await buttons.getByText(language === 'en' ? 'Yes, I agree' : 'Sì, acconsento', { exact: true }).waitFor();

      // The customer answered in words: the agent records it.
      await asked.getByRole('button', { name: tr('personalData.recordYes'), exact: true }).click();
      const [agreed] = tr('personalData.consent.yes', { how: tr('personalData.consentSource.agent'), when: '\u0000' }).split('\u0000');
      await asked.getByText(agreed ?? '', { exact: false }).waitFor();
      const consent = await stack.t.server.database.db
        .selectFrom('personal_data_consents')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(consent).toMatchObject({ consent: 'yes', source: 'agent', wording: tr('personalData.consentWording') });
      expect(session.app.complaints).toEqual([]);
    });
  }
});
