/**
 * A WhatsApp group's conversation in Chromium against the real stack: a message written in a
 * group (the Cloud API's groups webhook, `group_id`) waits in the team's queue, given to nobody;
 * opened, it is named a WhatsApp group, shows its messages and, in place of the composer, the notice that Sportello never
 * writes to groups, in English and in Italian. No composer, no way to send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/browser-screenshot.js';
import { customer } from '../helpers/conversations.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import { customerSendsAsIs } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

const GROUP_ID = 'Y2FwaV9ncm91cDpFWEFNUExFX0dST1VQX0lE';

describe('a group conversation', () => {
  let e2e: E2eEnvironment;
  const sessions: Session[] = [];

  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    const complaints = sessions.flatMap((session) => session.app.complaints);
    await e2e?.close();
    expect(complaints).toEqual([]);
  });

  for (const language of ['en', 'it'] as const) {
    it(`is read-only, with the reason shown (${language})`, async () => {
      const session = await e2e.open(language);
      sessions.push(session);
      await reachInbox(session, { username: `paola-${language}`, displayName: 'Paola Ferri', roles: ['agent'] });
      const { app, tr, stack } = session;
      const { t } = stack;
      await conversationsWaitForAReply(t);
      const text = language === 'en' ? 'Hello everyone in the group' : 'Ciao a tutti nel gruppo';
      await customerSendsAsIs(t, customer(t, 2), { type: 'text', text: { body: text }, group_id: GROUP_ID });
      await app.page.getByRole('button', { name: tr('conversations.filter.unassigned'), exact: true }).click();
      await conversationRow(session, text).click();
      await app.page.getByRole('log').getByText(text).waitFor();
      // Named as a group: it has no name or number of its own.
      await heading(session, tr('groups.title')).waitFor();
      const notice = app.page.getByRole('note', { name: tr('groups.title') });
      await notice.getByText(tr('groups.why')).waitFor();
      expect(await app.page.getByRole('combobox', { name: tr('composer.messageLabel'), exact: true }).count()).toBe(0);
      await screenshot(app.page, `group-conversation-${language}`);
    });
  }
});
