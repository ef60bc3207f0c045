/**
 * The safety policy's picture for `npm run screens` (capture-screens.ts calls this): the admin's
 * Safety screen with a block list, an allow list for agents' links and a privacy notice set, as
 * an admin leaves them.
 */
import { DEFAULT_SAFETY_POLICY } from '../../common/safety/safety-policy.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';

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
  await app.page.getByRole('button', { name: tr('inbox.section.safety') }).click();
  await app.page.getByRole('form', { name: tr('safety.formLabel') }).waitFor();
  // The lists are loaded when the block list's box holds them.
  const blocked = app.page.getByLabel(tr('safety.links.blockedHosts'));
  await eventually(async () => ((await blocked.inputValue()).includes('pacchi-consegna.example') ? true : undefined), 10_000, 'the block list shown');
  await app.page.setViewportSize({ width: 1280, height: 1500 });
  await shot(session, language, 'admin-safety');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.page.getByRole('button', { name: tr('inbox.section.conversations') }).click();
}
