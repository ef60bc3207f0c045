/**
 * The safety rules' pictures for `npm run screens` (capture-screens.ts calls these), reached as
 * an agent meets them: a customer writes a card number, which the agent sees masked with the
 * note, and the note's answer fills the composer.
 */
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSendsAsIs } from './harness/customer-activity.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

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
