/**
 * What a person does in the app, step by step, through the UI only; what IT and admins do, through
 * the server's own services. Shared by the end-to-end tests and the screenshot capture.
 */
import type { Locator } from 'playwright-core';
import type { AppState } from '../../../common/ipc/app-state.js';
import { acknowledgeTheBriefing, IT } from '../../helpers/identity-setup.js';
import { Authenticator } from './authenticator.js';
import type { Translate } from './catalogue.js';
import type { ClientStack } from './client-stack.js';
import type { AppPage } from './open-app.js';

export const AGENT_PASSWORD = 'violet tractor harbour 42';
const SLOW_STEP_MS = 15_000;

export interface Session {
  readonly app: AppPage;
  readonly stack: ClientStack;
  readonly tr: Translate;
}

export function heading({ app }: Session, name: string): Locator {
  return app.page.getByRole('heading', { name, exact: true });
}

export async function waitForHeading(session: Session, name: string): Promise<void> {
  await heading(session, name).waitFor({ timeout: SLOW_STEP_MS });
}

export function stateOf({ stack }: Session): AppState {
  return stack.core.state;
}

/** The workstation's screen shows its machine ID; IT registers it; the agent asks to pair. */
export async function askToPair(session: Session, label = 'Reception 1'): Promise<Extract<AppState, { screen: 'pairing' }>> {
  const { tr, stack, app } = session;
  await waitForHeading(session, tr('unpaired.title'));
  const unpaired = stateOf(session);
  if (unpaired.screen !== 'unpaired' || unpaired.machineId === null)
    throw new Error(`expected the unpaired screen with a machine ID, main is on ${unpaired.screen}`);
  await stack.t.server.identity.devices.allow([{ machineId: unpaired.machineId, label }], IT, 'single');
  await app.page.getByRole('button', { name: tr('unpaired.pair') }).click();
  await waitForHeading(session, tr('pairing.title'));
  const pairing = stateOf(session);
  if (pairing.screen !== 'pairing') throw new Error(`expected the pairing screen, main is on ${pairing.screen}`);
  return pairing;
}

/** IT approves the code the workstation shows (as the CLI or the approval page would). */
export async function itApproves(session: Session, code: string): Promise<void> {
  await session.stack.t.server.identity.pairing.approve(code.replace('-', ''), IT);
  await waitForHeading(session, session.tr('login.title'));
}

export interface NewAgent {
  readonly username: string;
  readonly displayName: string;
  readonly roles: ReadonlyArray<'agent' | 'supervisor' | 'admin'>;
  /** false: the agent has not acknowledged the security briefing yet (the briefing screen comes before their inbox). */
  readonly briefingAcknowledged?: false;
}

/** An admin creates the agent; the agent types the one-time code, a password, and nothing more yet. */
export async function fillEnrollment(session: Session, agent: NewAgent): Promise<void> {
  const { tr, stack, app } = session;
  const issued = await stack.t.server.identity.agents.create({ username: agent.username, displayName: agent.displayName, roles: [...agent.roles] }, IT);
  if (agent.briefingAcknowledged !== false) await acknowledgeTheBriefing(stack.t, { agentId: issued.agent.id, username: agent.username });
  await app.page.getByRole('button', { name: tr('login.firstTime') }).click();
  await waitForHeading(session, tr('enroll.title'));
  await app.page.getByLabel(tr('login.username')).fill(agent.username);
  await app.page.getByLabel(tr('enroll.code')).fill(issued.enrollmentCode);
  await app.page.getByLabel(tr('enroll.newPassword'), { exact: true }).fill(AGENT_PASSWORD);
  await app.page.getByLabel(tr('enroll.repeatPassword')).fill(AGENT_PASSWORD);
}

/** From the filled enrollment form to the authenticator step; returns the agent's phone, set up from the key shown. */
export async function submitEnrollment(session: Session): Promise<Authenticator> {
  const { tr, app } = session;
  await app.page.getByRole('button', { name: tr('enroll.submit') }).click();
  await waitForHeading(session, tr('authenticator.title'));
  const manualKey = await app.page.getByTestId('manual-key').textContent();
  return new Authenticator((manualKey ?? '').replace(/\s/g, ''));
}

export async function confirmAuthenticator(session: Session, phone: Authenticator): Promise<void> {
  const { tr, app } = session;
  await app.page.getByLabel(tr('authenticator.codeLabel')).fill(await phone.nextCode());
  await app.page.getByRole('button', { name: tr('authenticator.confirm') }).click();
  await waitForHeading(session, tr('recoveryCodes.title'));
}

export async function acceptRecoveryCodes(session: Session): Promise<void> {
  const { tr, app } = session;
  await app.page.getByLabel(tr('recoveryCodes.saved')).check();
  await app.page.getByRole('button', { name: tr('recoveryCodes.continue') }).click();
  await app.page.locator('[data-screen="inbox"]').waitFor({ timeout: SLOW_STEP_MS });
}

/** Pairing, approval and enrollment in one go, for tests about what comes after. */
export async function reachInbox(session: Session, agent: NewAgent): Promise<Authenticator> {
  const pairing = await askToPair(session);
  await itApproves(session, pairing.code);
  await fillEnrollment(session, agent);
  const phone = await submitEnrollment(session);
  await confirmAuthenticator(session, phone);
  await acceptRecoveryCodes(session);
  return phone;
}

/** The conversation list's row for a customer. */
export function conversationRow({ app, tr }: Session, customerName: string): Locator {
  return app.page
    .getByRole('list', { name: tr('conversations.listLabel') })
    .getByRole('button')
    .filter({ hasText: customerName });
}

/** The server's id for this workstation (the one the stack's platform names). */
export async function deviceIdOf(session: Session): Promise<number> {
  const hostname = session.stack.platform.machine.hostname();
  const { devices } = await session.stack.t.server.identity.devices.list();
  const device = devices.find((candidate) => candidate.hostname === hostname && candidate.status === 'active');
  if (device === undefined) throw new Error(`the server has no active workstation named ${hostname}`);
  return device.id;
}

/** Whether the element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement);
}

/** Whether the element is inside the visible part of the scroller. */
export async function isScrolledIntoView(element: Locator, scroller: Locator): Promise<boolean> {
  const [inner, outer] = await Promise.all([element.boundingBox(), scroller.boundingBox()]);
  return inner !== null && outer !== null && inner.y >= outer.y && inner.y + inner.height <= outer.y + outer.height;
}

/** The inbox's search box. */
export function searchBox({ app, tr }: Session): Locator {
  return app.page.getByRole('searchbox', { name: tr('search.label') });
}

/** The search results, in the conversation list's place while a query is typed. */
export function searchResults({ app, tr }: Session): Locator {
  return app.page.getByRole('region', { name: tr('search.resultsLabel') });
}

/** The results under one heading ("Contacts" or "Messages"). */
export function searchHits(session: Session, group: 'contacts' | 'messages'): Locator {
  return searchResults(session)
    .getByRole('list', { name: session.tr(`search.${group}`) })
    .getByRole('button');
}
