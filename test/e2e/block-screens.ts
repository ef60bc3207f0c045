/**
 * Blocking a customer, for `npm run screens`: the dialog asking the reason, then the conversation
 * with "Blocked" in its header and the notice in place of the composer. The block is then taken
 * back in the store and the sandbox, so the pictures after these show the conversation as before.
 */
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

export async function captureBlock(session: Session, language: UiLanguage, shot: Shot, customerName: string): Promise<void> {
  const { app, tr, stack } = session;
  const { page } = app;
  await page.getByRole('button', { name: tr('blocks.block'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: tr('blocks.dialogTitle', { customer: customerName }) });
  await dialog
    .getByLabel(tr('blocks.reasonLabel'), { exact: true })
    .fill(language === 'en' ? 'Insults and threats after every answer' : 'Insulti e minacce dopo ogni risposta');
  await shot(session, language, 'block-dialog');
  await dialog.getByRole('button', { name: tr('blocks.confirm'), exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('note', { name: tr('blocks.blocked') }).waitFor();
  await shot(session, language, 'conversation-blocked');
  const { t } = stack;
  const blocks = await t.server.database.db
    .selectFrom('customer_blocks')
    .innerJoin('contacts', 'contacts.id', 'customer_blocks.contact_id')
    .select(['customer_blocks.id', 'customer_blocks.business_phone_number_id', 'contacts.wa_id'])
    .execute();
  await t.server.committer.submit((trx) => trx.deleteFrom('customer_blocks').execute());
  for (const block of blocks) if (block.wa_id !== null) t.sandbox.graph.blocks.remove(block.business_phone_number_id, block.wa_id);
  await page.getByRole('note', { name: tr('blocks.blocked') }).waitFor({ state: 'detached' });
}
