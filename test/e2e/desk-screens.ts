/**
 * The desk's pictures for `npm run screens` (capture-screens.ts calls these): the queue with how
 * long each conversation has waited, the supervisor view (a colleague on another workstation
 * answers customers and is online), the bulk reassignment of what that colleague holds, and the
 * contact panel with an earlier conversation opened read only. Reached as people reach them:
 * customers write, the colleague claims by answering, the supervisor reassigns from the Overview.
 */
import crypto from 'node:crypto';
import type { SandboxCustomer } from '../../server/sandbox/webhook-builder.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

const filterTab = ({ app, tr }: Session, key: string) =>
  app.page.getByRole('group', { name: tr('conversations.filterLabel'), exact: true }).getByRole('button', { name: tr(key), exact: true });

/** The queue: the conversations nobody holds yet, each with how long it has waited. */
export async function captureQueue(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  await filterTab(session, 'conversations.filter.unassigned').click();
  await session.app.page.locator('.conversation-items .queue-badge').first().waitFor();
  await shot(session, language, 'queue');
  await filterTab(session, 'conversations.filter.all').click();
}

/** A colleague answers `customers` from their own workstation and stays connected: the supervisor view shows the team; then the colleague leaves, and the supervisor reassigns what they hold. */
export async function captureSupervisorView(session: Session, language: UiLanguage, shot: Shot, customers: readonly SandboxCustomer[]): Promise<void> {
  const { app, tr, stack } = session;
  const { t } = stack;
  const device = await approvedDevice(t, language === 'en' ? 'front-desk-05' : 'sportello-05');
  const colleague = await enrolledAgent(t, device, language === 'en' ? 'luca' : 'lucia');
  const answers =
    language === 'en'
      ? ['Yes, in red and in blue.', 'We open at 9 on Saturday.', 'Of course: I am checking your order now.']
      : ['Sì, in rosso e in blu.', 'Il sabato apriamo alle 9.', 'Certo: controllo subito il suo ordine.'];
  for (const [index, customer] of customers.entries()) {
    const { id: conversationId } = await t.server.database.db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select('conversations.id')
      .where('contacts.wa_id', '=', customer.waId)
      .orderBy('conversations.id', 'desc')
      .executeTakeFirstOrThrow();
    const sent = await device.call(
      'POST',
      '/v1/messages',
      { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: answers[index % answers.length] },
      colleague.session.accessToken,
    );
    if (sent.status !== 201) throw new Error(`the colleague's answer: ${sent.status}`);
  }
  // Room for those answered: once connected, routing gives the colleague none of the queue, so the view shows them full and the queue as it was.
  const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault);
  if (general === undefined) throw new Error('the desk has no default team');
  await t.server.identity.teams.setCapacity(general.id, colleague.agentId, customers.length, { name: 'cli:screens', agentId: null, sourceAddress: null });
  const socket = await openEventSocket(t, device, colleague.session.accessToken, 0);
  const name = language === 'en' ? 'Luca' : 'Lucia';
  try {
    await app.page.getByRole('button', { name: tr('inbox.section.supervision'), exact: true }).click();
    const row = app.page.getByRole('row').filter({ hasText: name });
    await row.getByText(tr('desk.online'), { exact: true }).waitFor();
    await row.getByText(tr('desk.openOfCapacity', { open: customers.length, capacity: customers.length })).waitFor();
    await shot(session, language, 'supervisor-view');
  } finally {
    socket.close();
  }
  // The colleague has gone (off sick): routing gives nobody offline the room a reassignment leaves, so what the supervisor moves stays moved.
  await app.page.getByRole('row').filter({ hasText: name }).getByText(tr('desk.offline'), { exact: true }).waitFor();
  await captureReassign(session, language, shot, name, customers.length);
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/** The colleague's conversations in the bulk reassignment dialog, the last left out, to Tommaso with a note; then what moved. */
async function captureReassign(session: Session, language: UiLanguage, shot: Shot, name: string, count: number): Promise<void> {
  const { app, tr } = session;
  const row = app.page.getByRole('row').filter({ hasText: name });
  await row.getByRole('button', { name: tr('desk.reassign.openNamed', { name }) }).click();
  const dialog = app.page.getByRole('dialog', { name: tr('desk.reassign.title', { name }) });
  const items = dialog.getByRole('listitem');
  await items.nth(count - 1).waitFor();
  await items
    .nth(count - 1)
    .getByRole('checkbox')
    .uncheck();
  const to = dialog.getByLabel(tr('desk.reassign.to'), { exact: true });
  await to.selectOption((await to.locator('option', { hasText: 'Tommaso Russo' }).getAttribute('value')) ?? '');
  await dialog
    .getByLabel(tr('desk.reassign.note'), { exact: true })
    .fill(
      language === 'en'
        ? `${name} is off sick today: these customers are waiting for an answer.`
        : `${name} oggi è in malattia: questi clienti aspettano una risposta.`,
    );
  await shot(session, language, 'supervisor-reassign');
  await dialog.getByRole('button', { name: tr('desk.reassign.confirm_other', { count: count - 1 }) }).click();
  await dialog.waitFor({ state: 'detached' });
  await app.page
    .getByRole('status')
    .filter({ hasText: tr('desk.reassign.doneToMember_other', { count: count - 1, from: name, to: 'Tommaso Russo' }) })
    .waitFor();
  await shot(session, language, 'supervisor-reassigned');
}

/** The contact panel beside the open conversation, its earlier conversation opened from it for reading. */
export async function captureContactPanel(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr } = session;
  const panel = app.page.getByRole('complementary', { name: tr('desk.contact.title') });
  await panel.locator('.earlier-list button').first().click();
  await app.page
    .getByRole('note')
    .filter({ hasText: tr('lifecycle.earlier.readOnly') })
    .waitFor();
  await shot(session, language, 'contact-panel');
  await panel.getByRole('button', { name: tr('desk.contact.current') }).click();
}
