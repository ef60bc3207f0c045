/**
 * The desk's pictures for `npm run screens` (capture-screens.ts calls these): the queue with how
 * long each conversation has waited, the supervisor view (a colleague on another workstation
 * answers a customer and is online), and the contact panel with an earlier conversation opened
 * read only. Reached as people reach them: customers write, the colleague claims by answering.
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

/** A colleague answers `customer` from their own workstation and stays connected; the supervisor view shows the team. */
export async function captureSupervisorView(session: Session, language: UiLanguage, shot: Shot, customer: SandboxCustomer): Promise<void> {
  const { app, tr, stack } = session;
  const { t } = stack;
  const device = await approvedDevice(t, language === 'en' ? 'front-desk-05' : 'sportello-05');
  const colleague = await enrolledAgent(t, device, language === 'en' ? 'luca' : 'lucia');
  const { id: conversationId } = await t.server.database.db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select('conversations.id')
    .where('contacts.wa_id', '=', customer.waId)
    .orderBy('conversations.id', 'desc')
    .executeTakeFirstOrThrow();
  const answer = language === 'en' ? 'Yes, in red and in blue.' : 'Sì, in rosso e in blu.';
  const sent = await device.call(
    'POST',
    '/v1/messages',
    { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: answer },
    colleague.session.accessToken,
  );
  if (sent.status !== 201) throw new Error(`the colleague's answer: ${sent.status}`);
  // Room for the one answered: once connected, routing gives the colleague none of the queue, so the view shows them full and the queue as it was.
  const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault);
  if (general === undefined) throw new Error('the desk has no default team');
  await t.server.identity.teams.setCapacity(general.id, colleague.agentId, 1, { name: 'cli:screens', agentId: null, sourceAddress: null });
  const socket = await openEventSocket(t, device, colleague.session.accessToken, 0);
  try {
    await app.page.getByRole('button', { name: tr('inbox.section.supervision') }).click();
    const row = app.page.getByRole('row').filter({ hasText: language === 'en' ? 'Luca' : 'Lucia' });
    await row.getByText(tr('desk.online'), { exact: true }).waitFor();
    await row.getByText(tr('desk.openOfCapacity', { open: 1, capacity: 1 })).waitFor();
    await shot(session, language, 'supervisor-view');
  } finally {
    socket.close();
  }
  await app.page.getByRole('button', { name: tr('inbox.section.conversations') }).click();
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
