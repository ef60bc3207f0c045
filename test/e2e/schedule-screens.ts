/**
 * The scheduled messages' pictures for `npm run screens` (capture-screens.ts calls these): a
 * conversation with a message scheduled from the composer for tomorrow morning, with its fallback
 * template, shown as scheduled with Edit and Cancel above the composer.
 */
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSendsAsIs } from './harness/customer-activity.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

const WORDS = {
  en: { asks: 'Could you let me know tomorrow morning whether it shipped?', answer: 'Good morning! Your order left our warehouse and arrives on Friday.' },
  it: { asks: 'Mi fa sapere domattina se è partito?', answer: 'Buongiorno! Il suo ordine è partito dal magazzino e arriva venerdì.' },
} as const;

/** A message scheduled for tomorrow at 9:00 (the agent's zone), with a fallback template. */
export async function captureConversationScheduled(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { tr } = session;
  const { page } = session.app;
  const writer = customer(session.stack.t, 6);
  await customerSendsAsIs(session.stack.t, writer, { type: 'text', text: { body: WORDS[language].asks } });
  await conversationRow(session, writer.name).click();
  await heading(session, writer.name).waitFor();
  await page.getByPlaceholder(tr('composer.placeholder')).fill(WORDS[language].answer);
  await page.getByRole('button', { name: tr('schedule.schedule'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: tr('schedule.dialogTitle') });
  await dialog.waitFor();
  const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await dialog.getByLabel(tr('schedule.date'), { exact: true }).fill(day);
  await dialog.getByLabel(tr('schedule.time'), { exact: true }).fill('09:00');
  // The fallback, through the template picker: the sandbox's hello_world.
  const fallback = dialog.getByRole('group', { name: tr('schedule.fallback') });
  await fallback.getByRole('button', { name: tr('schedule.fallbackChoose') }).click();
  await fallback.getByRole('button', { name: tr('templates.choose', { name: 'hello_world', language: 'en_US' }) }).click();
  await fallback.getByText('hello_world').waitFor();
  await dialog.getByRole('button', { name: tr('schedule.confirm') }).click();
  await dialog.waitFor({ state: 'detached' });
  await page
    .getByRole('region', { name: tr('schedule.listLabel') })
    .getByRole('listitem')
    .filter({ hasText: WORDS[language].answer })
    .waitFor();
  await shot(session, language, 'conversation-scheduled');
}

/** The scheduled messages' pictures that need only a signed-in admin who supervises the default team, each by the screen it saves. */
export const SCHEDULE_CAPTURES = [{ screen: 'conversation-scheduled', capture: captureConversationScheduled }] as const satisfies ReadonlyArray<{
  screen: string;
  capture: (session: Session, language: UiLanguage, shot: Shot) => Promise<void>;
}>;
