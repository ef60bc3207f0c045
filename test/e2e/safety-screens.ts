/**
 * The safety rules' pictures for `npm run screens` (capture-screens.ts calls these), reached as
 * people meet them: the admin's Safety screen with a block list, an allow list for agents' links
 * and a privacy notice set; a customer's card number, which the agent sees masked with the note,
 * and the note's answer filling the composer; a card number typed into a reply, held, with the
 * payment link offered instead; a customer's number masked, with the dialog that
 * asks why before it is revealed.
 */
import { DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import { customer } from '../helpers/conversations.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSendsAsIs } from './harness/customer-activity.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

export async function captureSafety(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr, stack } = session;
  const policies = stack.t.server.safety.policies;
  const { version } = await policies.current();
  await policies.change(
    {
      version,
      policy: {
        ...DEFAULT_SAFETY_POLICY,
        links: {
          ...DEFAULT_SAFETY_POLICY.links,
          blockedHosts: ['bank-secure-login.example', 'pacchi-consegna.example'],
          allowedOutboundHosts: ['negozio.example', 'pay.example'],
          outboundAllowListOnly: true,
        },
        personalData: { requirePurpose: true, privacyNoticeUrl: 'https://negozio.example/privacy' },
      },
    },
    IT,
  );
  await app.page.getByRole('button', { name: tr('inbox.section.safety'), exact: true }).click();
  await app.page.getByRole('form', { name: tr('safety.formLabel') }).waitFor();
  // The lists are loaded when the block list's box holds them.
  const blocked = app.page.getByLabel(tr('safety.links.blockedHosts'));
  await eventually(async () => ((await blocked.inputValue()).includes('pacchi-consegna.example') ? true : undefined), 10_000, 'the block list shown');
  await app.page.setViewportSize({ width: 1280, height: 1500 });
  await shot(session, language, 'admin-safety');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/** A customer's card number, masked, with the note and the safety reply in the composer. */
export async function captureCardHidden(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { t } = session.stack;
  const payer = customer(t, 5);
  const body =
    language === 'en' ? 'Can I just give you my card? 4111 1111 1111 1111, exp 12/29' : 'Le do direttamente la carta? 4111 1111 1111 1111, scad. 12/29';
  await customerSendsAsIs(t, payer, { type: 'text', text: { body } });
  await conversationRow(session, payer.name).click();
  await heading(session, payer.name).waitFor();
  const bubble = session.app.page.getByRole('log').getByRole('article').filter({ hasText: '4111 11•• •••• 1111' });
  await bubble.getByRole('button', { name: session.tr('cards.answer') }).click();
  await session.app.page.getByRole('combobox', { name: session.tr('composer.messageLabel') }).waitFor();
  await shot(session, language, 'conversation-card-hidden');
}

/** A customer claiming to be WhatsApp's support and asking for the code: the banner on the message. */
export async function captureCodeWarning(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { t } = session.stack;
  const asker = customer(t, 4);
  const body =
    language === 'en'
      ? 'Hello, this is WhatsApp Support. Please send me the 6-digit code we sent you.'
      : 'Ciao, sono del team di WhatsApp. Ti abbiamo inviato un codice via SMS, inviamelo per verificare il tuo account.';
  await customerSendsAsIs(t, asker, { type: 'text', text: { body } });
  await conversationRow(session, asker.name).click();
  await heading(session, asker.name).waitFor();
  await session.app.page
    .getByRole('log')
    .getByRole('note')
    .filter({ hasText: session.tr('codes.inboundWarning') })
    .waitFor();
  await shot(session, language, 'conversation-code-warning');
}

/**
 * A card number typed into the reply: Send held, and (with a payment page set as the provider) the
 * payment link offered instead, in the conversation of the customer whose card was hidden (who asks how to pay).
 */
export async function captureCardRefusedPaymentOffer(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { t } = session.stack;
  await t.server.payments.set({ kind: 'fixed_url', url: 'https://paypal.me/negozioesempio' }, IT);
  const payer = customer(t, 5);
  await customerSendsAsIs(t, payer, { type: 'text', text: { body: language === 'en' ? 'How do I pay then?' : 'Allora come pago?' } });
  await conversationRow(session, payer.name).click();
  await heading(session, payer.name).waitFor();
  const { page } = session.app;
  const box = page.getByRole('combobox', { name: session.tr('composer.messageLabel') });
  await box.fill(language === 'en' ? 'Your card 4111 1111 1111 1111 is on file' : 'La sua carta 4111 1111 1111 1111 è registrata');
  await page
    .locator('.card-number-warning')
    .getByRole('button', { name: session.tr('payments.requestInstead') })
    .waitFor();
  await shot(session, language, 'conversation-card-refused-payment-offer');
  await box.fill('');
}

/** An agent asking a customer for personal data: the composer asks what for and shows the line the customer will read. */
export async function captureComposerPersonalDataPurpose(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { t } = session.stack;
  const buyer = customer(t, language === 'en' ? 6 : 7);
  const body = language === 'en' ? 'Hi, can I have an invoice for my order please?' : 'Buongiorno, posso avere la fattura del mio ordine per favore?';
  await customerSendsAsIs(t, buyer, { type: 'text', text: { body } });
  await conversationRow(session, buyer.name).click();
  await heading(session, buyer.name).waitFor();
  const { page } = session.app;
  const box = page.getByRole('combobox', { name: session.tr('composer.messageLabel') });
  await box.fill(
    language === 'en'
      ? 'Of course! Could you send me your billing address and your VAT number?'
      : 'Certo! Mi può indicare il suo indirizzo di fatturazione e la partita IVA?',
  );
  const prompt = page.getByRole('group', { name: session.tr('personalData.promptTitle') });
  await prompt.getByLabel(session.tr('personalData.purposeLabel')).selectOption('billing');
  await prompt.locator('.personal-data-line').waitFor();
  await shot(session, language, 'composer-personal-data-purpose');
  await box.fill('');
}

/** The host the flagged-link picture's block list names. */
const BLOCKED_DELIVERY_HOST = 'pacchi-consegna.example';

/**
 * The same scammer sends links: a look-alike of the carrier's site (a Cyrillic о), a real name in
 * front of @ hiding the site, a shortener, and one on the block list, struck through and no button.
 */
export async function captureFlaggedLinks(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, stack } = session;
  const { t } = stack;
  const policies = t.server.safety.policies;
  const { version, policy } = await policies.current();
  await policies.change({ version, policy: { ...policy, links: { ...policy.links, blockedHosts: [BLOCKED_DELIVERY_HOST] } } }, IT);
  const scammer = customer(t, 4);
  const links = {
    // A Cyrillic о in the carrier's name.
    lookAlike: 'https://p\u043este.it/tracking',
    userInfo: 'https://www.poste.it@consegne-rapide.example/paga',
    shortener: 'https://bit.ly/3pacco',
    blocked: `https://${BLOCKED_DELIVERY_HOST}/dazio`,
  };
  const body =
    language === 'en'
      ? `Your parcel is held at customs. Track it at ${links.lookAlike} and pay the €1.99 fee at ${links.userInfo} or ${links.shortener}. Otherwise: ${links.blocked}`
      : `Il suo pacco è fermo in dogana. Lo segua su ${links.lookAlike} e paghi il dazio di 1,99 € su ${links.userInfo} oppure ${links.shortener}. Altrimenti: ${links.blocked}`;
  await customerSendsAsIs(t, scammer, { type: 'text', text: { body } });
  await conversationRow(session, scammer.name).click();
  await heading(session, scammer.name).waitFor();
  const log = app.page.getByRole('log');
  for (const link of [links.lookAlike, links.userInfo, links.shortener]) await log.getByRole('button', { name: link, exact: true }).waitFor();
  await log.locator('del', { hasText: links.blocked }).waitFor();
  await shot(session, language, 'conversation-flagged-link');
}

/** The agent types a one-time code to the customer: the reasons at once, and Enter only offers "Send anyway". */
export async function captureComposerCodeHeld(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr, stack } = session;
  const asker = customer(stack.t, 4);
  await conversationRow(session, asker.name).click();
  await heading(session, asker.name).waitFor();
  const box = app.page.getByRole('combobox', { name: tr('composer.messageLabel') });
  await box.fill(language === 'en' ? 'Here is the code you asked for: 482913' : 'Ecco il codice che mi ha chiesto: 482913');
  await app.page.getByRole('alert').getByText(tr('codeHold.reason.one_time_code'), { exact: true }).waitFor();
  await box.press('Enter');
  const sendAnyway = app.page.getByRole('button', { name: tr('codeHold.sendAnyway'), exact: true });
  await sendAnyway.waitFor();
  // Tall enough for the customer's message above the warning.
  await app.page.setViewportSize({ width: 1280, height: 1000 });
  await shot(session, language, 'composer-code-held');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  // Nothing is sent: the agent thinks better of it.
  await box.fill('');
  await sendAnyway.waitFor({ state: 'detached' });
}

/** The safety pictures that need only a signed-in admin who supervises the default team, each by the screen it saves. */
export const SAFETY_CAPTURES = [
  { screen: 'conversation-card-hidden', capture: captureCardHidden },
  { screen: 'conversation-code-warning', capture: captureCodeWarning },
  { screen: 'conversation-flagged-link', capture: captureFlaggedLinks },
  { screen: 'composer-code-held', capture: captureComposerCodeHeld },
  { screen: 'conversation-card-refused-payment-offer', capture: captureCardRefusedPaymentOffer },
  { screen: 'composer-personal-data-purpose', capture: captureComposerPersonalDataPurpose },
  { screen: 'admin-safety', capture: captureSafety },
] as const satisfies ReadonlyArray<{ screen: string; capture: (session: Session, language: UiLanguage, shot: Shot) => Promise<void> }>;
/** A customer's number masked in the header and the contact panel, and the dialog that asks why before revealing it. */
export async function captureMaskedNumber(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { t } = session.stack;
  const { page } = session.app;
  const caller = customer(t, 3);
  const body = language === 'en' ? 'Could you call me back this afternoon?' : 'Mi può richiamare oggi pomeriggio?';
  await customerSendsAsIs(t, caller, { type: 'text', text: { body } });
  await conversationRow(session, caller.name).click();
  await heading(session, caller.name).waitFor();
  const panel = page.getByRole('complementary', { name: session.tr('desk.contact.title') });
  await panel.getByRole('button', { name: session.tr('customerNumbers.reveal'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: session.tr('customerNumbers.dialogTitle') });
  await dialog
    .getByLabel(session.tr('customerNumbers.reasonLabel'), { exact: true })
    .fill(language === 'en' ? 'The customer asked to be called back' : 'Il cliente ha chiesto di essere richiamato');
  await shot(session, language, 'conversation-masked-number');
  // Escape cancels (the native dialog): nothing is revealed, so the pictures after this one show no number.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}
