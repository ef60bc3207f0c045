/**
 * The message templates' pictures for `npm run screens` (capture-screens.ts calls these), reached
 * as people meet them: a customer who wrote two days ago, so the window is closed and the composer
 * offers the sandbox's templates, one chosen and filled in with its preview; and the admin's
 * Templates screen, with each template's status, category and quality as Meta has them.
 */
import type { SandboxCustomer } from '../../server/sandbox/webhook-builder.js';
import type { TestServer } from '../helpers/test-server.js';
import { conversationRow, heading } from './harness/app-driver.js';
import type { Locator } from 'playwright-core';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSendsAsIs } from './harness/customer-activity.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

const TWO_DAYS_MS = 48 * 3_600_000;

/** A customer of the sandbox's number who wrote two days ago: only a template may answer them. */
export async function customerWroteTwoDaysAgo(t: TestServer, language: UiLanguage, name: string, text: string): Promise<SandboxCustomer> {
  const waId = language === 'en' ? '447700900417' : '393471230417';
  const writer = { waId, userId: `${language === 'en' ? 'GB' : 'IT'}.${waId}`, name, language };
  await customerSendsAsIs(t, writer, { type: 'text', text: { body: text } }, { timestampMs: Date.now() - TWO_DAYS_MS });
  return writer;
}

/** What the picture fills in: the sandbox's shipping notice (a header value, three body values, the tracking link's end), in the customer's language. */
export const PICTURED = {
  en: {
    customer: 'Olivia Hart',
    asks: 'Hi, any news about my order? I have been waiting for a week.',
    search: 'shipped',
    template: 'order_shipped',
    language: 'en_US',
    header: 'A-20417',
    body: ['Olivia', 'A-20417', 'on Friday'],
    button: 'A-20417',
  },
  it: {
    customer: 'Chiara Conti',
    asks: 'Buongiorno, ci sono novità sul mio ordine? Aspetto da una settimana.',
    search: 'partito',
    template: 'order_shipped',
    language: 'it',
    header: 'A-20417',
    body: ['Chiara', 'A-20417', 'venerdì'],
    button: 'A-20417',
  },
} as const;

/** The customer's conversation open, the picker searched and the pictured template chosen: its form. */
export async function chooseThePictured(session: Session, language: UiLanguage): Promise<Locator> {
  const { app, tr, stack } = session;
  const pictured = PICTURED[language];
  await customerWroteTwoDaysAgo(stack.t, language, pictured.customer, pictured.asks);
  await conversationRow(session, pictured.customer).click();
  await heading(session, pictured.customer).waitFor();
  const picker = app.page.getByRole('group', { name: tr('templates.pickerLabel') });
  await picker.getByLabel(tr('templates.search')).fill(pictured.search);
  await picker.getByRole('button', { name: tr('templates.choose', { name: pictured.template, language: pictured.language }) }).click();
  return app.page.getByRole('form', { name: tr('templates.formLabel') });
}

export async function captureTemplatePicker(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr } = session;
  const pictured = PICTURED[language];
  const form = await chooseThePictured(session, language);
  const preview = form.getByRole('figure', { name: tr('templates.preview') });
  await form.getByLabel(tr('templates.header.text', { name: '1' })).fill(pictured.header);
  for (const [index, value] of pictured.body.entries()) await form.getByLabel(tr('templates.bodyVariable', { name: String(index + 1) })).fill(value);
  await preview.getByText(pictured.body[2], { exact: false }).waitFor();
  // The link's end is left to fill: the picture shows what Send waits for.
  await form.getByRole('status').waitFor();
  await app.page.setViewportSize({ width: 1280, height: 1000 });
  await shot(session, language, 'template-picker');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await form.getByRole('button', { name: tr('templates.change') }).click();
}

export async function captureAdminTemplates(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr } = session;
  await app.page.getByRole('button', { name: tr('templates.section'), exact: true }).click();
  await app.page.getByRole('table').getByRole('row').filter({ hasText: PICTURED[language].template }).first().waitFor();
  await app.page.setViewportSize({ width: 1280, height: 1000 });
  await shot(session, language, 'admin-templates');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/** The template pictures that need only a signed-in admin who supervises the default team, each by the screen it saves. */
export const TEMPLATE_CAPTURES = [
  { screen: 'template-picker', capture: captureTemplatePicker },
  { screen: 'admin-templates', capture: captureAdminTemplates },
] as const satisfies ReadonlyArray<{ screen: string; capture: (session: Session, language: UiLanguage, shot: Shot) => Promise<void> }>;
