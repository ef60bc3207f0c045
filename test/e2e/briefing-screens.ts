/**
 * The security briefing's pictures for `npm run screens` (capture-screens.ts calls these), reached
 * as people meet them: a new agent's first sign-in stops at the briefing, three rules ticked and
 * the fourth showing; and the admin's Briefing screen, with who has acknowledged which version.
 */
import { BUILT_IN_BRIEFING } from '../../common/briefing/briefing.js';
import { acknowledgeTheBriefing, IT } from '../helpers/identity-setup.js';
import { askToPair, confirmAuthenticator, fillEnrollment, itApproves, submitEnrollment, waitForHeading } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import type { E2eEnvironment } from './e2e-setup.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

/** A workstation of its own: an agent who never acknowledged the briefing signs in for the first time. */
export async function captureBriefing(e2e: E2eEnvironment, language: UiLanguage, shot: Shot): Promise<Session> {
  const session = await e2e.open(language);
  const { app, tr } = session;
  const pairing = await askToPair(session);
  await itApproves(session, pairing.code);
  await fillEnrollment(session, { username: 'marco', displayName: 'Marco Ferri', roles: ['agent'], briefingAcknowledged: false });
  await confirmAuthenticator(session, await submitEnrollment(session));
  await app.page.getByLabel(tr('recoveryCodes.saved')).check();
  await app.page.getByRole('button', { name: tr('recoveryCodes.continue') }).click();
  await waitForHeading(session, tr('briefing.title'));
  const boxes = app.page.getByRole('checkbox', { name: tr('briefing.acknowledgeRule') });
  for (const index of [0, 1, 2]) await boxes.nth(index).check();
  const fourth = BUILT_IN_BRIEFING[3];
  if (fourth !== undefined) await app.page.getByText(fourth.text[language]).waitFor();
  await app.page.setViewportSize({ width: 1280, height: 1000 });
  await shot(session, language, 'briefing');
  return session;
}

/** The admin's Briefing screen: the version in force, its rules to edit, and who has acknowledged it. */
export async function captureBriefingAdmin(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr, stack } = session;
  const anna = await stack.t.server.identity.agents.create({ username: 'anna.b', displayName: 'Anna Bruni', roles: ['agent'] }, IT);
  await acknowledgeTheBriefing(stack.t, { agentId: anna.agent.id, username: 'anna.b' });
  await app.page.getByRole('button', { name: tr('inbox.section.briefing'), exact: true }).click();
  await app.page.getByRole('form', { name: tr('briefing.admin.formLabel') }).waitFor();
  await app.page.getByRole('row').filter({ hasText: 'Anna Bruni' }).waitFor();
  await shot(session, language, 'admin-briefing');
}
