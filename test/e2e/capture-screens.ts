/**
 * `npm run screens`: drives the real stack (server with the sandbox, the main-process core, the
 * built renderer in Chromium) through every screen and saves a PNG of each to the folder SCREENS_DIR
 * names (docs/screens/ when it is unset or empty), in English, and most of them in Italian. Nothing
 * on them is staged: every state is reached the way an agent, IT or a customer would reach it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RoutingAdmin } from '../../server/routing/routing-admin.js';
import { customer } from '../helpers/conversations.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { LOCATION_WITH_TEXT_LATITUDE, TEXT_WITH_NUMERIC_BODY } from '../helpers/edge-webhooks.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import {
  acceptRecoveryCodes,
  askToPair,
  confirmAuthenticator,
  conversationRow,
  deviceIdOf,
  fillEnrollment,
  heading,
  itApproves,
  reachInbox,
  searchBox,
  searchHits,
  submitEnrollment,
  waitForHeading,
} from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { PROJECT_ROOT } from './harness/build-renderer.js';
import type { UiLanguage } from './harness/catalogue.js';
import { reinstallAsksToPair, startWorkstation, untilScreen, workstationAsksToPair } from './harness/client-stack.js';
import type { Workstation } from './harness/client-stack.js';
import {
  customerReacts,
  customerSays,
  customerSaysTo,
  customerSendsAsIs,
  customerSendsPhoto,
  fixtureCustomerSendsEverything,
} from './harness/customer-activity.js';
import { samplePhoto } from './harness/sample-photo.js';
import { screensDir } from './harness/screens-dir.js';
import { captureBlock } from './block-screens.js';
import { captureContactPanel, captureQueue, captureSupervisorView } from './desk-screens.js';
import {
  captureCardHidden,
  captureCardRefusedPaymentOffer,
  captureCodeWarning,
  captureComposerCodeHeld,
  captureFlaggedLinks,
  captureMaskedNumber,
  captureComposerPersonalDataPurpose,
  captureSafety,
  SAFETY_CAPTURES,
} from './safety-screens.js';
import { screensOnly } from './harness/screens-only.js';
import { SCHEDULE_CAPTURES } from './schedule-screens.js';
import { ANALYTICS_CAPTURES, captureAnalytics } from './analytics-screens.js';
import { captureBriefing, captureBriefingAdmin } from './briefing-screens.js';
import { captureQuarantinedFile } from './quarantine-screens.js';
import { captureAdminTemplates, captureTemplatePicker, TEMPLATE_CAPTURES } from './template-screens.js';
import { startClamd } from '../helpers/clamd.js';
import type { RunningClamd } from '../helpers/clamd.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const SCREENS_DIR = screensDir(process.env);
const ONLY = screensOnly(
  process.env,
  [...SAFETY_CAPTURES, ...TEMPLATE_CAPTURES, ...SCHEDULE_CAPTURES, ...ANALYTICS_CAPTURES].map((capture) => capture.screen),
);

async function shot(session: Session, language: UiLanguage, name: string): Promise<void> {
  if (ONLY !== undefined && !ONLY.has(name)) return;
  // Let fonts, previews and the last feed event settle before the picture.
  await session.app.page.evaluate('document.fonts.ready');
  await session.app.page.waitForTimeout(300);
  const file = path.join(SCREENS_DIR, `${language}-${name}.png`);
  await session.app.page.screenshot({ path: file });
  console.log(`  ${file}`);
}

/** The wamid Meta gave our latest message to this customer's conversation, once it has one. */
async function latestOutboundWamid(session: Session): Promise<string> {
  const { db } = session.stack.t.server.database;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const row = await db.selectFrom('messages').select('wamid').where('direction', '=', 'outbound').orderBy('id', 'desc').executeTakeFirst();
    if (row?.wamid != null) return row.wamid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('our message never got a wamid from the sandbox');
}

async function sendFromComposer(session: Session, text: string): Promise<void> {
  const box = session.app.page.getByRole('combobox', { name: session.tr('composer.messageLabel'), exact: true });
  await box.fill(text);
  await box.press('Enter');
  await session.app.page
    .locator('.message-outbound')
    .filter({ hasText: text })
    .getByRole('img', { name: session.tr('delivery.read') })
    .waitFor();
}

/**
 * The screens before pairing: no provisioning file, a server that does not answer, and an OS that
 * gives no machine ID (node-machine-id then answers the hostname, which the app refuses).
 */
async function captureBeforePairing(e2e: E2eEnvironment, language: UiLanguage): Promise<void> {
  const missing = await e2e.open(language, { provisioning: 'missing' });
  await waitForHeading(missing, missing.tr('unprovisioned.title'));
  await shot(missing, language, 'unprovisioned');
  const unreachable = await e2e.open(language, { provisioning: 'unreachable' });
  await waitForHeading(unreachable, unreachable.tr('offline.title'));
  await shot(unreachable, language, 'offline');
  const nameOnly = await e2e.open(language, { hostname: 'front-desk-03', rawMachineId: 'front-desk-03' });
  await waitForHeading(nameOnly, nameOnly.tr('unpaired.title'));
  await nameOnly.app.page
    .getByRole('alert')
    .filter({ hasText: nameOnly.tr('errors.machine_id_unavailable') })
    .waitFor();
  await shot(nameOnly, language, 'unpaired-no-machine-id');
  assertQuiet(nameOnly);
}

/** The company's server accepts only newer apps than this one (0.1.0). */
async function captureUpdateRequired(e2e: E2eEnvironment, language: UiLanguage): Promise<void> {
  const outdated = await e2e.open(language, { server: { identity: { minClientVersion: '0.2.0' } } });
  await waitForHeading(outdated, outdated.tr('updateRequired.title'));
  await outdated.app.page.locator('.facts').getByText('0.2.0', { exact: true }).waitFor();
  await shot(outdated, language, 'update-required');
  assertQuiet(outdated);
}

/** Pairing to the inbox, with a picture of every step. */
async function captureEnrollment(session: Session, language: UiLanguage, username: string): Promise<void> {
  const { tr, app } = session;
  await waitForHeading(session, tr('unpaired.title'));
  await shot(session, language, 'unpaired');
  const pairing = await askToPair(session);
  await shot(session, language, 'pairing');
  await itApproves(session, pairing.code);
  await app.page.getByLabel(tr('login.username')).fill(username);
  await shot(session, language, 'login');
  await app.page.getByLabel(tr('login.username')).fill('');
  await fillEnrollment(session, { username, displayName: 'Giulia Neri', roles: ['supervisor', 'admin'] });
  await shot(session, language, 'enroll');
  const phone = await submitEnrollment(session);
  await shot(session, language, 'authenticator');
  await confirmAuthenticator(session, phone);
  await app.page.getByLabel(tr('recoveryCodes.saved')).check();
  await shot(session, language, 'recovery-codes');
  await acceptRecoveryCodes(session);
}

/** Customers write; one conversation gets a photo, a quoted reply, a reaction and a location. */
async function fillInbox(session: Session, language: UiLanguage): Promise<string> {
  const { t } = session.stack;
  const featured = customer(t, 0);
  const lines =
    language === 'en'
      ? {
          damaged: 'Hi, my parcel for order #1042 arrived damaged.',
          photo: 'This is how it arrived',
          reply: 'I am so sorry! A replacement leaves today; you can follow it at https://track.example.com/1042',
          thanks: 'Thank you, that was quick!',
        }
      : {
          damaged: 'Buongiorno, il pacco dell’ordine #1042 è arrivato danneggiato.',
          photo: 'Ecco come è arrivato',
          reply: 'Ci scusi! Il sostituto parte oggi; può seguirlo su https://track.example.com/1042',
          thanks: 'Grazie, velocissimi!',
        };
  await fixtureCustomerSendsEverything(t);
  const others =
    language === 'en'
      ? ['Does it come in another colour?', 'What are your opening hours on Saturday?', 'Can I change the delivery address?']
      : ['È disponibile anche in un altro colore?', 'Che orari fate il sabato?', 'Posso cambiare l’indirizzo di consegna?'];
  for (const [index, text] of others.entries()) await customerSays(t, customer(t, index + 1), text);
  const first = await customerSays(t, featured, lines.damaged);
  await customerSendsPhoto(t, featured, await samplePhoto(sessionBrowser(session)), lines.photo);
  await conversationRow(session, featured.name).waitFor();
  await shot(session, language, 'inbox');

  await conversationRow(session, featured.name).click();
  await heading(session, featured.name).waitFor();
  await session.app.page
    .locator('.message-inbound')
    .filter({ hasText: lines.damaged })
    .getByRole('button', { name: session.tr('message.reply') })
    .click();
  await sendFromComposer(session, lines.reply);
  await customerReacts(t, featured, await latestOutboundWamid(session), '👍');
  await customerSays(t, featured, lines.thanks, first);
  await session.app.page.getByRole('log').getByText(lines.thanks).waitFor();
  await session.app.page.locator('img.media-image').waitFor();
  return featured.name;
}

/**
 * Internal notes in the featured conversation: a colleague's note mentioning the agent, then the
 * agent's own, its mention picked from the list of those who may see the conversation.
 */
async function captureNotes(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  const { t } = stack;
  const desk = await approvedDevice(t, language === 'en' ? 'back-office-01' : 'retro-01');
  const marta = await enrolledAgent(t, desk, `marta.${language}`, 'supervisor');
  await t.server.database.db.updateTable('agents').set({ display_name: 'Marta Galli' }).where('id', '=', marta.agentId).execute();
  const conversation = await t.server.database.db.selectFrom('conversations').select('id').orderBy('last_message_at', 'desc').executeTakeFirstOrThrow();
  const theirs =
    language === 'en'
      ? `@giulia.${language} the courier confirmed the damage: the replacement is on us, no need to ask for the parcel back.`
      : `@giulia.${language} il corriere ha confermato il danno: il sostituto è a carico nostro, non serve chiedere indietro il pacco.`;
  const added = await desk.call(
    'POST',
    `/v1/conversations/${conversation.id}/notes`,
    { clientNoteId: crypto.randomUUID(), body: theirs },
    marta.session.accessToken,
  );
  if (added.status !== 201) throw new Error(`Marta's note: ${added.status}`);
  const log = app.page.getByRole('log');
  await log.locator('.note-card').first().waitFor();
  await app.page.getByRole('radio', { name: tr('composer.mode.note') }).check();
  const box = app.page.getByRole('combobox', { name: tr('notes.textLabel') });
  await box.focus();
  await app.page.keyboard.type(language === 'en' ? 'Refund of the shipping cost approved, @ma' : 'Rimborso della spedizione approvato, @ma');
  await app.page
    .getByRole('listbox', { name: tr('notes.mentionListLabel') })
    .getByRole('option')
    .first()
    .waitFor();
  await shot(session, language, 'note-mention');
  await app.page.keyboard.press('Enter');
  await app.page.keyboard.type(language === 'en' ? 'please file it with the courier.' : 'per favore aprilo con il corriere.');
  await app.page.keyboard.press('Enter');
  await log.locator('.note-card').nth(1).waitFor();
  await shot(session, language, 'conversation-notes');
  await app.page.getByRole('radio', { name: tr('composer.mode.reply') }).check();
}

/** Who is signed in where (another workstation signed in), ending one, and the audit log verified. */
async function captureSessionsAndAudit(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  const other = await startWorkstation(stack.t, { hostname: language === 'en' ? 'front-desk-07' : 'cassa-07', locale: language === 'en' ? 'en-GB' : 'it-IT' });
  try {
    const { call, waitFor } = coreDriver(other.core);
    await pairAndEnroll(stack.t, call, waitFor, `davide.${language}`, 'supervisor');
    await waitFor('inbox');
    await app.page.getByRole('button', { name: tr('inbox.section.sessions'), exact: true }).click();
    const row = app.page.getByRole('row').filter({ hasText: language === 'en' ? 'front-desk-07' : 'cassa-07' });
    await row.waitFor();
    await shot(session, language, 'admin-sessions');
    await row.getByRole('button').click();
    await app.page.getByRole('dialog').waitFor();
    await shot(session, language, 'admin-sessions-end');
    await app.page
      .getByRole('dialog')
      .getByRole('button', { name: tr('sessions.end') })
      .click();
    await untilScreen(other, 'signed_out');
  } finally {
    await other.close();
  }
  await app.page.getByRole('button', { name: tr('inbox.section.audit'), exact: true }).click();
  await app.page.getByRole('button', { name: tr('audit.verify') }).click();
  await app.page.locator('.verify-ok').waitFor();
  await shot(session, language, 'admin-audit');
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/**
 * A supervisor on another workstation opens the conversation on screen and types in it: its
 * header says so. The workstation leaves afterwards, and the line with it.
 */
async function capturePresence(session: Session, language: UiLanguage, customerName: string): Promise<void> {
  const { t } = session.stack;
  const workstation = await startWorkstation(t, {
    hostname: language === 'en' ? 'supervisor-01' : 'supervisione-01',
    core: { presence: { typingIdleMs: 20_000 } },
  });
  try {
    const { call, waitFor } = coreDriver(workstation.core);
    const name = 'Elena Conti';
    await pairAndEnroll(t, call, waitFor, `elena.${language}`, 'supervisor', { displayName: name });
    await untilScreen(workstation, 'inbox');
    const conversation = await t.server.database.db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select('conversations.id')
      .where('contacts.profile_name', '=', customerName)
      .orderBy('conversations.id')
      .executeTakeFirstOrThrow();
    const line = session.app.page.locator('.conversation-header .presence-line');
    // Told to the server as soon as this workstation's event socket is live.
    await call('viewConversation', { conversationId: conversation.id });
    await line.getByText(session.tr('presence.viewing_one', { names: name }), { exact: true }).waitFor();
    await call('typingIn', { conversationId: conversation.id });
    await line.getByText(session.tr('presence.typing_one', { names: name }), { exact: true }).waitFor();
    await shot(session, language, 'conversation-presence');
  } finally {
    await workstation.close();
  }
  await session.app.page.locator('.conversation-header .presence-line').getByText(/./).waitFor({ state: 'detached' });
}

/** A customer's location whose latitude is words, and a text whose body is a number: each shows its note. */
async function captureUnreadablePart(session: Session, language: UiLanguage): Promise<void> {
  const { t } = session.stack;
  const sender = customer(t, 4);
  await customerSendsAsIs(t, sender, LOCATION_WITH_TEXT_LATITUDE);
  await customerSendsAsIs(t, sender, TEXT_WITH_NUMERIC_BODY);
  await conversationRow(session, sender.name).click();
  await heading(session, sender.name).waitFor();
  const log = session.app.page.getByRole('log');
  await log
    .getByRole('note')
    .getByText(session.tr('message.unreadablePart', { parts: 'location.latitude' }), { exact: true })
    .waitFor();
  await log
    .getByRole('note')
    .getByText(session.tr('message.unreadableWhole', { parts: 'text' }), { exact: true })
    .waitFor();
  await shot(session, language, 'conversation-unreadable-part');
}

/** A search typed without thinking about accents, and its newest message opened at that message. */
async function captureSearch(session: Session, language: UiLanguage): Promise<void> {
  await searchBox(session).fill(language === 'en' ? 'arrived' : 'arrivato');
  const newest = searchHits(session, 'messages').first();
  await newest.waitFor();
  await newest.click();
  await session.app.page.locator('.message-found').waitFor();
  await shot(session, language, 'search');
  await searchBox(session).press('Escape');
}

/**
 * The featured conversation's life: marked pending, the customer answers (open again), the snooze
 * picker, snoozed, reopened, resolved, each a system line; then the customer writes again and the
 * new conversation offers the earlier one.
 */
async function captureLifecycle(session: Session, language: UiLanguage, featuredName: string): Promise<void> {
  const { tr, app, stack } = session;
  const { page } = app;
  const { t } = stack;
  const featured = customer(t, 0);
  const lines =
    language === 'en'
      ? { orderNumber: 'The order number is 1042, thank you.', again: 'Hello again: could the replacement come on Saturday?' }
      : { orderNumber: 'Il numero d’ordine è 1042, grazie.', again: 'Salve di nuovo: il sostituto può arrivare sabato?' };
  await conversationRow(session, featuredName).first().click();
  await heading(session, featuredName).waitFor();
  const log = page.getByRole('log');
  const follow = () =>
    log.evaluate((element: { scrollTop: number; scrollHeight: number }) => {
      element.scrollTop = element.scrollHeight;
    });
  await follow();
  const controls = page.getByRole('group', { name: tr('lifecycle.controlsLabel') });
  const control = (key: string) => controls.getByRole('button', { name: tr(key), exact: true });
  const systemLine = (className: string) => log.locator(`.system-line.${className}`).last();
  await control('lifecycle.markPending').click();
  await page.locator('.conversation-header .state-pending').waitFor();
  await customerSays(t, featured, lines.orderNumber);
  await log
    .locator('.system-line')
    .filter({ hasText: tr('lifecycle.system.openedByCustomer') })
    .waitFor();
  await follow();
  await shot(session, language, 'conversation-states');

  await control('lifecycle.snooze').click();
  const dialog = page.getByRole('dialog', { name: tr('lifecycle.snoozeTitle') });
  await dialog.getByRole('radio').nth(1).check();
  await shot(session, language, 'snooze-picker');
  await dialog.getByRole('button', { name: tr('lifecycle.snoozeConfirm') }).click();
  await page.locator('.conversation-header .state-snoozed').waitFor();
  await control('lifecycle.reopen').click();
  await page.locator('.conversation-header .state-open').waitFor();
  await control('lifecycle.resolve').click();
  await systemLine('system-line-resolved').waitFor();
  await page.getByText(tr('lifecycle.resolvedNote')).waitFor();
  await follow();
  await shot(session, language, 'conversation-history');

  await customerSays(t, featured, lines.again);
  await conversationRow(session, lines.again).click();
  await log.getByText(lines.again).waitFor();
  await log.getByRole('button', { name: tr('lifecycle.earlier.show') }).click();
  await log.locator('.earlier-list button').first().waitFor();
  await shot(session, language, 'conversation-earlier');
}

/**
 * The transfer dialog over the open conversation: claimed first if it waits in the queue, a
 * colleague picked and a note for them written; cancelled, so the screens after it are as before.
 */
async function captureTransferDialog(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  const { page } = app;
  const { t } = stack;
  // Two colleagues in the team: one with room, one at capacity (marked so in the list).
  const desk = await approvedDevice(t, language === 'en' ? 'front-desk-05' : 'cassa-05');
  const general = (await t.server.identity.teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
  for (const [username, displayName, capacity] of [
    [`tommaso.${language}`, 'Tommaso Russo', 5],
    [`lucia.${language}`, 'Lucia Ferri', 0],
  ] as const) {
    const colleague = await enrolledAgent(t, desk, username, 'agent');
    await t.server.database.db.updateTable('agents').set({ display_name: displayName }).where('id', '=', colleague.agentId).execute();
    await t.server.identity.teams.setCapacity(general, colleague.agentId, capacity, IT);
  }
  const controls = page.getByRole('group', { name: tr('handover.controlsLabel') });
  const claim = controls.getByRole('button', { name: tr('handover.claim'), exact: true });
  if (await claim.isVisible()) {
    await claim.click();
    await claim.waitFor({ state: 'detached' });
  }
  await controls.getByRole('button', { name: tr('handover.transfer'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: tr('handover.transferTitle') });
  const colleague = dialog.getByLabel(tr('handover.agent'), { exact: true });
  await colleague.locator('option', { hasText: 'Tommaso Russo' }).waitFor({ state: 'attached' });
  await colleague.selectOption({ label: 'Tommaso Russo' });
  await dialog
    .getByLabel(tr('handover.note'), { exact: true })
    .fill(
      language === 'en'
        ? 'She asked for the replacement on Saturday: the courier confirms by noon.'
        : 'Chiede il sostituto sabato: il corriere conferma entro mezzogiorno.',
    );
  await shot(session, language, 'transfer-dialog');
  await dialog.getByRole('button', { name: tr('common.cancel') }).click();
  await dialog.waitFor({ state: 'detached' });
}

function sessionBrowser(session: Session) {
  const browser = session.app.context.browser();
  if (browser === null) throw new Error('the page has no browser');
  return browser;
}

/**
 * Sportello reinstalled on an active workstation asks to pair with a new key: the admin sees the
 * status, both fingerprints and the warning, and confirms the replacement in a dialog.
 */
async function captureKeyReplacement(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  const rawMachineId = crypto.randomUUID();
  const hostname = language === 'en' ? 'front-desk-05' : 'cassa-05';
  const workstations: Workstation[] = [];
  try {
    const original = await startWorkstation(stack.t, { hostname, rawMachineId });
    workstations.push(original);
    const first = await workstationAsksToPair(stack.t, original, language === 'en' ? 'Front desk 5' : 'Cassa 5');
    await stack.t.server.identity.pairing.approve(first.code.replace('-', ''), IT);
    await untilScreen(original, 'signed_out');
    const { workstation: reinstalled, pairing: again } = await reinstallAsksToPair(stack.t, { hostname, rawMachineId });
    workstations.push(reinstalled);

    // Tall enough to show the warning, both keys and the buttons at once.
    await app.page.setViewportSize({ width: 1280, height: 1080 });
    await app.page.getByRole('button', { name: tr('inbox.section.devices'), exact: true }).click();
    await app.page.getByLabel(tr('devices.code')).fill(again.code);
    await app.page.getByRole('button', { name: tr('devices.lookUp') }).click();
    const decide = app.page.getByRole('region', { name: tr('devices.decideLabel') });
    await decide
      .getByRole('alert')
      .filter({ hasText: tr('devices.replacesKey') })
      .waitFor();
    await shot(session, language, 'admin-key-replacement');
    await decide.getByRole('button', { name: tr('devices.approve') }).click();
    const dialog = app.page.getByRole('dialog', { name: tr('devices.replaceKeyTitle', { hostname }) });
    await dialog.waitFor();
    await shot(session, language, 'admin-key-replacement-confirm');
    await dialog.getByRole('button', { name: tr('devices.replaceKeyConfirm') }).click();
    await app.page
      .getByRole('status')
      .filter({ hasText: tr('devices.approved', { hostname }) })
      .waitFor();
    await untilScreen(reinstalled, 'signed_out');
  } finally {
    for (const workstation of workstations) await workstation.close();
  }
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/** This workstation, signed in, is paired again with a new key (Sportello reinstalled): the old install wipes itself. */
async function captureKeyReplacedRevocation(e2e: E2eEnvironment, language: UiLanguage): Promise<void> {
  const rawMachineId = crypto.randomUUID();
  const hostname = language === 'en' ? 'reception-04' : 'accoglienza-04';
  const session = await e2e.open(language, { hostname, rawMachineId });
  await reachInbox(session, { username: `paolo.${language}`, displayName: 'Paolo Ricci', roles: ['agent'] });
  const { workstation: reinstalled, pairing } = await reinstallAsksToPair(session.stack.t, { hostname, rawMachineId });
  try {
    await session.stack.t.server.identity.pairing.approve(pairing.code.replace('-', ''), IT);
    await waitForHeading(session, session.tr('revoked.title'));
    await session.app.page.getByText(session.tr('revoked.reasons.key_replaced'), { exact: true }).waitFor();
    await session.app.page.getByText(session.tr('revoked.nextKeyReplaced'), { exact: true }).waitFor();
    await shot(session, language, 'revoked-key-replaced');
  } finally {
    await reinstalled.close();
  }
  assertQuiet(session);
}

async function captureAdmin(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  // Another workstation asks to pair; the admin looks its code up and compares the fingerprint.
  const other = await startWorkstation(stack.t, { hostname: 'front-desk-03' });
  try {
    const pairing = await workstationAsksToPair(stack.t, other, 'Front desk 3');
    await app.page.getByRole('button', { name: tr('inbox.section.devices'), exact: true }).click();
    await app.page.getByLabel(tr('devices.code')).fill(pairing.code);
    await app.page.getByRole('button', { name: tr('devices.lookUp') }).click();
    await app.page.getByRole('button', { name: tr('devices.approve') }).waitFor();
    await shot(session, language, 'admin-devices');
  } finally {
    await other.close();
  }
  await app.page.getByRole('button', { name: tr('inbox.section.agents'), exact: true }).click();
  await app.page.getByLabel(tr('login.username')).fill('marco.bianchi');
  await app.page.getByLabel(tr('agents.displayName'), { exact: true }).fill('Marco Bianchi');
  await app.page.getByRole('button', { name: tr('agents.create') }).click();
  await app.page.getByTestId('enrollment-code').waitFor();
  await shot(session, language, 'admin-agents');
  await app.page.getByRole('button', { name: tr('agents.issuedDone') }).click();
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/**
 * The teams screen: two colleagues exist (an agent and a supervisor, created as IT creates them);
 * the admin creates a sales team on the screen, adds the agent with a capacity and the supervisor.
 */
async function captureTeams(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  const people = language === 'en' ? ['Paolo Ricci', 'Sara Neri'] : ['Paola Conti', 'Sandro Neri'];
  const [agentName, supervisorName] = people as [string, string];
  await stack.t.server.identity.agents.create({ username: `agente.${language}`, displayName: agentName, roles: ['agent'] }, IT);
  await stack.t.server.identity.agents.create({ username: `capo.${language}`, displayName: supervisorName, roles: ['supervisor'] }, IT);
  const team = language === 'en' ? 'Sales' : 'Vendite';
  await app.page.getByRole('button', { name: tr('inbox.section.teams'), exact: true }).click();
  await app.page.getByLabel(tr('teams.name'), { exact: true }).fill(team);
  await app.page.getByLabel(tr('teams.description'), { exact: true }).fill(language === 'en' ? 'Quotes and orders' : 'Preventivi e ordini');
  await app.page.getByRole('button', { name: tr('teams.create'), exact: true }).click();
  const card = app.page.getByRole('region', { name: team });
  await card.waitFor();
  await card.getByLabel(tr('teams.addMember')).selectOption({ label: `${agentName} (agente.${language})` });
  await card.getByLabel(tr('teams.capacity'), { exact: true }).fill('4');
  await card
    .getByRole('button', { name: tr('teams.add') })
    .first()
    .click();
  await card.getByText(`agente.${language}`, { exact: true }).waitFor();
  await card.getByLabel(tr('teams.addSupervisor')).selectOption({ label: `${supervisorName} (capo.${language})` });
  await card
    .getByRole('button', { name: tr('teams.add') })
    .last()
    .click();
  await card.getByText(`(capo.${language})`, { exact: true }).waitFor();
  // Tall enough for both teams and where each number sends, from the top.
  await app.page.setViewportSize({ width: 1280, height: 1500 });
  await app.page.locator('.admin-screen').evaluate((element: { scrollTop: number }) => {
    element.scrollTop = 0;
  });
  await shot(session, language, 'admin-teams');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await captureTeamHours(session, language, team);
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/** The sales team's business hours and away message, filled in on its card and saved, then open again to read. */
async function captureTeamHours(session: Session, language: UiLanguage, team: string): Promise<void> {
  const { tr, app } = session;
  const card = app.page.getByRole('region', { name: team });
  await card.getByRole('button', { name: tr('hours.editNamed', { name: team }) }).click();
  const form = card.getByRole('form', { name: tr('hours.formLabel', { name: team }) });
  await form.getByLabel(tr('hours.timeZone')).fill('Europe/Rome');
  for (const day of ['mon', 'tue', 'wed', 'thu']) await form.getByLabel(tr(`hours.day.${day}`), { exact: true }).fill('09:00–13:00, 14:00–18:00');
  await form.getByLabel(tr('hours.day.fri'), { exact: true }).fill('09:00–13:00');
  await form
    .getByLabel(tr('hours.holidays'))
    .fill(language === 'en' ? '2026-12-25 Christmas\n2026-12-26 Boxing Day' : '2026-12-25 Natale\n2026-12-26 Santo Stefano');
  await form
    .getByLabel(tr('hours.awayMessage'))
    .fill(
      language === 'en'
        ? 'Thank you for writing. We are closed now: we answer Monday to Friday from 9:00. / Grazie, siamo chiusi: rispondiamo dal lunedì al venerdì dalle 9.'
        : 'Grazie di averci scritto. Ora siamo chiusi: rispondiamo dal lunedì al venerdì dalle 9. / Thank you, we are closed: we answer from 9:00.',
    );
  await form.getByRole('button', { name: tr('hours.save') }).click();
  await card
    .getByRole('status')
    .filter({ hasText: tr('hours.saved', { name: team }) })
    .waitFor();
  await card.getByRole('button', { name: tr('hours.editNamed', { name: team }) }).click();
  await app.page.setViewportSize({ width: 1280, height: 1100 });
  await card.locator('.team-hours').evaluate((element: { scrollIntoView: (options: { block: string }) => void }) => element.scrollIntoView({ block: 'start' }));
  await shot(session, language, 'admin-team-hours');
  await card.getByRole('button', { name: tr('hours.save') }).click();
  await app.page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * The routing rules under the teams: refund words go to the sales team (made by captureTeams),
 * Italian to General, customers from an ad to sales; the second rule being edited.
 */
async function captureRouting(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  const { teams } = await stack.t.server.identity.teams.list();
  const sales = teams.find((team) => team.name === (language === 'en' ? 'Sales' : 'Vendite'));
  const general = teams.find((team) => team.isDefault);
  if (sales === undefined || general === undefined) throw new Error('captureTeams made the sales team');
  const routing = new RoutingAdmin({ db: stack.t.server.database.db, committer: stack.t.server.committer, now: Date.now });
  for (const rule of await routing.list().then((list) => list.rules)) await routing.remove(rule.id, IT);
  await routing.create({ condition: { kind: 'keyword', keywords: language === 'en' ? ['quote', 'price*'] : ['preventiv*', 'prezzo'] }, teamId: sales.id }, IT);
  await routing.create({ condition: { kind: 'language', languages: ['it', 'de'] }, teamId: general.id }, IT);
  await routing.create({ condition: { kind: 'referral', sourceId: '120208912345' }, teamId: sales.id, enabled: false }, IT);
  await app.page.getByRole('button', { name: tr('inbox.section.teams'), exact: true }).click();
  const section = app.page.getByRole('region', { name: tr('routing.title') });
  await section.getByRole('button', { name: tr('routing.editRule', { position: 2 }) }).click();
  await section.locator('form.routing-form').first().waitFor();
  await app.page.setViewportSize({ width: 1280, height: 1000 });
  await section.evaluate((element: { scrollIntoView: (options: { block: string }) => void }) => element.scrollIntoView({ block: 'start' }));
  await shot(session, language, 'admin-routing');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/**
 * Quick replies and labels: the admin (who also supervises the default team) adds a global reply
 * and one of her team on their screen, and two labels; then, in the featured conversation, puts a
 * label on it and types `/` in the composer: the picker offers the replies filled in.
 */
async function captureRepliesAndLabels(session: Session, language: UiLanguage, featuredName: string): Promise<void> {
  const { tr, app } = session;
  const page = app.page;
  const words =
    language === 'en'
      ? {
          replies: [
            {
              shortcut: 'thanks',
              team: false,
              en: 'Thank you {{customer.first_name}}! {{agent.first_name}} from {{business.name}} here.',
              it: 'Grazie {{customer.first_name}}! Sono {{agent.first_name}} di {{business.name}}.',
            },
            { shortcut: 'tracking', team: true, en: 'You can follow your parcel with the tracking link we sent you, {{customer.first_name}}.', it: '' },
          ],
          labels: [
            { name: 'Refund', color: 'red' },
            { name: 'VIP', color: 'purple' },
          ],
          typed: 'Hi! /t',
        }
      : {
          replies: [
            {
              shortcut: 'grazie',
              team: false,
              en: 'Thank you {{customer.first_name}}! {{agent.first_name}} from {{business.name}} here.',
              it: 'Grazie {{customer.first_name}}! Sono {{agent.first_name}} di {{business.name}}.',
            },
            {
              shortcut: 'spedizione',
              team: true,
              en: '',
              it: 'Può seguire il pacco con il link di tracciamento che le abbiamo inviato, {{customer.first_name}}.',
            },
          ],
          labels: [
            { name: 'Rimborso', color: 'red' },
            { name: 'VIP', color: 'purple' },
          ],
          typed: 'Salve! /',
        };
  await page.getByRole('button', { name: tr('inbox.section.replies'), exact: true }).click();
  const replyForm = page.locator('form.quick-reply-form');
  for (const reply of words.replies) {
    if (reply.team) await replyForm.getByLabel(tr('replyScopes.label')).selectOption({ index: 1 });
    await replyForm.getByLabel(tr('quickReplies.shortcut')).fill(reply.shortcut);
    await replyForm.getByLabel(tr('quickReplies.textEn')).fill(reply.en);
    await replyForm.getByLabel(tr('quickReplies.textIt')).fill(reply.it);
    await replyForm.getByRole('button', { name: tr('quickReplies.save') }).click();
    await page.getByRole('cell', { name: `/${reply.shortcut}`, exact: true }).waitFor();
  }
  const labelForm = page.locator('form.label-form');
  for (const label of words.labels) {
    await labelForm.getByLabel(tr('labels.name')).fill(label.name);
    await labelForm.getByLabel(tr(`labels.colors.${label.color}`)).check();
    await labelForm.getByRole('button', { name: tr('labels.save') }).click();
    await page
      .getByRole('status')
      .filter({ hasText: tr('labels.saved', { name: label.name }) })
      .waitFor();
  }
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.locator('.admin-screen').evaluate((element: { scrollTop: number }) => {
    element.scrollTop = 0;
  });
  await shot(session, language, 'admin-replies');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
  await conversationRow(session, featuredName).click();
  await heading(session, featuredName).waitFor();
  for (const label of words.labels) {
    await page.getByRole('combobox', { name: tr('labels.add') }).selectOption({ label: label.name });
    await page.locator('.conversation-header').getByRole('listitem').filter({ hasText: label.name }).waitFor();
  }
  const box = page.getByRole('combobox', { name: tr('composer.messageLabel') });
  await box.focus();
  await page.keyboard.type(words.typed);
  await page
    .getByRole('listbox', { name: tr('quickReplies.listLabel') })
    .getByRole('option')
    .first()
    .waitFor();
  await shot(session, language, 'quick-reply-picker');
  await page.keyboard.press('Escape');
  await box.fill('');
}

/**
 * Two business numbers: customers write to Sales too, one writes to a number the server does not
 * serve, and Meta refuses the Sales token; the list kept to Sales, then the admin's numbers screen.
 */
async function captureNumbers(session: Session, language: UiLanguage): Promise<void> {
  const { tr, app, stack } = session;
  const { t } = stack;
  const sales = t.sandbox.businesses[1];
  if (sales === undefined) throw new Error('the sandbox serves a second number');
  const lines =
    language === 'en'
      ? ['Could I have a quote for twelve chairs?', 'Do you deliver to Turin?', 'Is this the shop on Via Roma?']
      : ['Potrei avere un preventivo per dodici sedie?', 'Consegnate a Torino?', 'È il negozio di via Roma?'];
  await customerSaysTo(t, sales, customer(t, 4), lines[0] ?? '');
  await customerSaysTo(t, sales, customer(t, 5), lines[1] ?? '');
  await customerSaysTo(t, { wabaId: '200000000000999', phoneNumberId: '100000000000999', displayPhoneNumber: '15550009999' }, customer(t, 3), lines[2] ?? '');
  const picker = app.page.getByLabel(tr('conversations.numberLabel'));
  await picker.selectOption({ label: sales.displayName ?? '' });
  await conversationRow(session, lines[1] ?? '').waitFor();
  await shot(session, language, 'inbox-numbers');
  await picker.selectOption({ label: tr('conversations.anyNumber') });

  const quote = await t.server.database.db
    .selectFrom('conversations')
    .select('id')
    .where('business_phone_number_id', '=', sales.phoneNumberId)
    .executeTakeFirstOrThrow();
  t.sandbox.graph.injectFaults({ httpStatus: 401, code: 190, message: 'Error validating access token: Session has expired' });
  await t.server.sendService.send({
    kind: 'template',
    idempotencyKey: crypto.randomUUID(),
    conversationId: quote.id,
    name: 'hello_world',
    languageCode: 'en_US',
  });
  await t.server.dispatcher.settled();
  await app.page.getByRole('button', { name: tr('inbox.section.numbers'), exact: true }).click();
  await app.page.getByText(tr('numbers.healthValue.needs_reauthorization')).waitFor();
  await app.page.getByText(tr('numbers.reasonValue.not_configured')).waitFor();
  await shot(session, language, 'admin-numbers');
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click();
}

/** A screen is only worth showing if the browser had nothing to complain about while drawing it. */
function assertQuiet(session: Session): void {
  if (session.app.complaints.length > 0) throw new Error(`the page complained:\n${session.app.complaints.join('\n')}`);
}

/** SCREENS_ONLY: a signed-in admin who supervises the default team (no pictures of the way there), then only the screens named. */
async function captureOnly(e2e: E2eEnvironment, language: UiLanguage, only: ReadonlySet<string>): Promise<void> {
  const session = await e2e.open(language, { hostname: language === 'en' ? 'reception-02' : 'accoglienza-02', server: { customers: 8 } });
  await captureEnrollment(session, language, `giulia.${language}`);
  for (const { screen, capture } of [...SAFETY_CAPTURES, ...TEMPLATE_CAPTURES, ...SCHEDULE_CAPTURES, ...ANALYTICS_CAPTURES])
    if (only.has(screen)) await capture(session, language, shot);
  assertQuiet(session);
}

async function captureLanguage(e2e: E2eEnvironment, clamd: RunningClamd, language: UiLanguage, full: boolean): Promise<void> {
  console.log(`${language}:`);
  if (ONLY !== undefined) {
    await captureOnly(e2e, language, ONLY);
    return;
  }
  if (full) await captureBeforePairing(e2e, language);
  await captureUpdateRequired(e2e, language);
  const session = await e2e.open(language, { hostname: language === 'en' ? 'reception-02' : 'accoglienza-02', server: { customers: 8 } });
  const { tr, app, stack } = session;
  await captureEnrollment(session, language, `giulia.${language}`);
  const featured = await fillInbox(session, language);
  await shot(session, language, 'conversation');
  await captureQueue(session, language, shot);
  await captureNotes(session, language);
  await capturePresence(session, language, featured);

  // The fixture customer wrote in 2023: the window is closed and the composer offers templates.
  await conversationRow(session, 'Test Name').click();
  await heading(session, 'Test Name').waitFor();
  await app.page.getByRole('group', { name: tr('templates.pickerLabel') }).waitFor();
  // Tall enough to show most kinds at once.
  await app.page.setViewportSize({ width: 1280, height: 2000 });
  await shot(session, language, 'conversation-every-kind');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await captureUnreadablePart(session, language);
  await captureCardHidden(session, language, shot);
  await captureCodeWarning(session, language, shot);
  await captureFlaggedLinks(session, language, shot);
  await captureComposerCodeHeld(session, language, shot);
  await captureCardRefusedPaymentOffer(session, language, shot);
  await captureMaskedNumber(session, language, shot);
  await captureComposerPersonalDataPurpose(session, language, shot);
  await captureTemplatePicker(session, language, shot);
  for (const { capture } of SCHEDULE_CAPTURES) await capture(session, language, shot);
  await conversationRow(session, featured).click();
  await captureSearch(session, language);
  await captureLifecycle(session, language, featured);
  await captureTransferDialog(session, language);
  await captureContactPanel(session, language, shot);
  await captureBlock(session, language, shot, featured);

  if (full) await captureAdmin(session, language);
  await captureSessionsAndAudit(session, language);
  await captureTeams(session, language);
  await captureRepliesAndLabels(session, language, featured);
  await captureRouting(session, language);
  await captureSupervisorView(
    session,
    language,
    shot,
    [1, 2, 3].map((index) => customer(stack.t, index)),
  );
  await captureNumbers(session, language);
  await captureSafety(session, language, shot);
  await captureBriefingAdmin(session, language, shot);
  await captureAdminTemplates(session, language, shot);
  assertQuiet(await captureBriefing(e2e, language, shot));
  assertQuiet(await captureAnalytics(e2e, language, shot));
  assertQuiet(await captureQuarantinedFile(e2e, clamd, language, shot));
  await captureKeyReplacement(session, language);
  await app.page.getByRole('button', { name: tr('inbox.lock'), exact: true }).click();
  await waitForHeading(session, tr('locked.title'));
  await shot(session, language, 'locked');
  if (full) {
    await stack.t.server.identity.devices.revoke(await deviceIdOf(session), 'Laptop reported stolen', IT);
    await waitForHeading(session, tr('revoked.title'));
    await shot(session, language, 'revoked');
  }
  assertQuiet(session);
  if (full) await captureKeyReplacedRevocation(e2e, language);
}

fs.mkdirSync(SCREENS_DIR, { recursive: true });
// A real clamd with the test's own signatures (EICAR's among them): nothing is downloaded.
const [e2e, clamd] = await Promise.all([startE2e(path.join(PROJECT_ROOT, 'dist/renderer')), startClamd()]);
try {
  await captureLanguage(e2e, clamd, 'en', true);
  await captureLanguage(e2e, clamd, 'it', false);
} finally {
  await Promise.all([e2e.close(), clamd.stop()]);
}
