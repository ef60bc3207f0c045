/**
 * The conversation's scheduled messages and reminder change on the screen as the feed tells them,
 * with no reload, in English and in Italian, in real Chromium over a listening server: one
 * scheduled elsewhere appears, one that came back says why, and the agent's reminder come due
 * says it is time (and the desk is notified). The changes are made in the server's store, as
 * another workstation or the scheduled job would make them; the store's triggers write the feed
 * events the workstation receives.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/conversations.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { customerSays } from './harness/customer-activity.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

describe('the conversation’s schedule on the screen', () => {
  let e2e: E2eEnvironment;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  for (const [index, language] of (['en', 'it'] satisfies UiLanguage[]).entries()) {
    it(`changes as the feed says, without a reload (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language);
      const { tr, stack } = session;
      await reachInbox(session, { username: `live${language}`, displayName: 'Anna Bianchi', roles: ['agent'] });
      const { page } = session.app;
      const writer = customer(stack.t, index);
      const wamid = await customerSays(stack.t, writer, 'Mi scrivete domani?');
      await conversationRow(session, writer.name).click();
      await heading(session, writer.name).waitFor();
      const { conversation_id: conversationId } = await stack.t.server.database.db
        .selectFrom('messages')
        .select('conversation_id')
        .where('wamid', '=', wamid)
        .executeTakeFirstOrThrow();
      const list = page.getByRole('region', { name: tr('schedule.listLabel') });
      await list.waitFor();
      const { committer, database } = stack.t.server;
      const agent = await database.db.selectFrom('agents').select('id').where('username', '=', `live${language}`).executeTakeFirstOrThrow();
      const at = Date.now();
      const text = language === 'en' ? 'Your parcel is on its way' : 'Il pacco è in viaggio';

      // Scheduled elsewhere (another workstation of hers): it appears.
      const { id } = await committer.submit((trx) =>
        trx
          .insertInto('scheduled_messages')
          .values({
            conversation_id: conversationId,
            agent_id: agent.id,
            content_json: JSON.stringify({ kind: 'text', text }),
            fallback_json: null,
            send_at: at + 24 * 60 * 60 * 1000,
            time_zone: 'Europe/Rome',
            state: 'pending',
            reason: null,
            message_id: null,
            idempotency_key: `${agent.id}:${crypto.randomUUID()}`,
            send_key: `scheduled:${crypto.randomUUID()}`,
            request_hash: 'elsewhere',
            created_at: at,
            updated_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
      const item = list.getByRole('listitem').filter({ hasText: text });
      await item.getByText(tr('schedule.state.pending'), { exact: false }).waitFor();

      // Its job found the window closed: it says so, and Edit and Cancel go.
      await committer.submit((trx) =>
        trx
          .updateTable('scheduled_messages')
          .set({ state: 'returned', reason: 'window_closed', updated_at: at + 1 })
          .where('id', '=', id)
          .execute(),
      );
      await item.getByText(tr('schedule.reason.window_closed'), { exact: false }).waitFor();
      expect(await item.getByRole('button', { name: tr('schedule.edit') }).count()).toBe(0);

      // Her reminder comes due: the conversation says it is time, and the desk tells her.
      const notified = stack.platform.desktop.notifications.length;
      await committer.submit((trx) =>
        trx
          .insertInto('reminders')
          .values({
            conversation_id: conversationId,
            agent_id: agent.id,
            remind_at: at,
            time_zone: 'Europe/Rome',
            state: 'pending',
            created_at: at,
            updated_at: at,
          })
          .execute(),
      );
      await committer.submit((trx) =>
        trx
          .updateTable('reminders')
          .set({ state: 'due', updated_at: at + 2 })
          .where('conversation_id', '=', conversationId)
          .execute(),
      );
      const due = list.getByRole('status');
      await due.waitFor();
      expect(await due.textContent()).toContain(tr('schedule.reminderDue', { when: '' }).split('(')[0]?.trim());
      expect(stack.platform.desktop.notifications.slice(notified).map((n) => n.title)).toEqual([
        language === 'en' ? `Reminder · ${writer.name}` : `Promemoria · ${writer.name}`,
      ]);
    });
  }
});
