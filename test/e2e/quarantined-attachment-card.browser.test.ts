/**
 * The attachment card says why a file stays closed (issue 13), in English and in Italian: a
 * customer's file a real clamd found infected is quarantined (it stays on the server; the
 * customer may send it another way), one refused by its bytes (a program named .txt) says so
 * with the byte check's reason, and a clean one beside them shows as a file. Nothing of the
 * infected file, nor clamd's signature name, reaches the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR, EICAR_SIGNATURE, startClamd } from '../helpers/clamd.js';
import type { RunningClamd } from '../helpers/clamd.js';
import { customer } from '../helpers/conversations.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import { startE2e } from './e2e-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';

/** A Windows program's first bytes, sent as a text file. */
const PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.\r\n')]);
const CLEAN = Buffer.from('Ricevuta del reso n. 4471.\n', 'utf8');

describe('the card of a file the server keeps closed', () => {
  let e2e: E2eEnvironment;
  let clamd: RunningClamd;
  beforeAll(async () => {
    [e2e, clamd] = await Promise.all([startE2e(), startClamd()]);
  }, 150_000);
  afterAll(async () => {
    await Promise.all([e2e?.close(), clamd?.stop()]);
  });

  for (const language of ['en', 'it'] satisfies UiLanguage[]) {
    it(`says the infected file is quarantined and the refused one why (${language})`, { timeout: 120_000 }, async () => {
      const session: Session = await e2e.open(language, { server: { scanner: { socketPath: clamd.socketPath } } });
      await reachInbox(session, { username: `scan${language}`, displayName: 'Sara Neri', roles: ['supervisor'] });
      const { page } = session.app;
      const { tr, stack } = session;
      const { t } = stack;
      const sender = customer(t, 0);
      const send = async (bytes: Buffer, filename: string) => {
        const file = t.sandbox.graph.addMedia(bytes, 'text/plain');
        await t.customers.write(sender, { type: 'document', document: { id: file.id, mime_type: 'text/plain', sha256: file.sha256Base64, filename } });
        return file.id;
      };
      const ids = [await send(EICAR, 'fattura.txt'), await send(PROGRAM, 'istruzioni.txt'), await send(CLEAN, 'ricevuta.txt')];
      const states = await eventually(async () => {
        const rows = await t.server.database.db.selectFrom('media').select(['graph_media_id', 'scan_state']).where('graph_media_id', 'in', ids).execute();
        const byId = new Map(rows.map((row) => [row.graph_media_id, row.scan_state]));
        const found = ids.map((id) => byId.get(id));
        return found.every((state) => state !== undefined && state !== null && state !== 'scanning') ? found : undefined;
      });
      expect(states).toEqual(['infected', 'refused', 'clean']);

      await conversationRow(session, sender.name).click();
      await heading(session, sender.name).waitFor();
      const log = page.getByRole('log');
      const card = (filename: string) => log.getByRole('article').filter({ hasText: filename });
      await card('fattura.txt').getByText(tr('media.quarantined')).waitFor();
      await card('istruzioni.txt').getByText(tr('media.refused'), { exact: false }).waitFor();
      await card('istruzioni.txt').getByText(tr('errors.attachment_is_program'), { exact: false }).waitFor();
      await card('ricevuta.txt').waitFor();
      expect(await card('ricevuta.txt').getByTestId('media-closed').count()).toBe(0);

      const shown = await page.locator('body').innerText();
      expect(shown).not.toContain(EICAR_SIGNATURE);
      expect(shown).not.toContain('EICAR-STANDARD');
      expect(session.app.complaints).toEqual([]);
    });
  }
});
