/**
 * The quarantined attachment's picture for `npm run screens` (capture-screens.ts calls it): on a
 * server with a real clamd (test/helpers/clamd.ts, its signatures written by the test), a
 * customer sends an invoice that clamd finds infected, instructions that are a program named .txt,
 * and a clean receipt; the conversation shows the first two closed, each saying why.
 */
import type { RunningClamd } from '../helpers/clamd.js';
import { EICAR } from '../helpers/clamd.js';
import { customer } from '../helpers/conversations.js';
import { eventually } from '../helpers/store-queries.js';
import { conversationRow, heading, reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';
import type { E2eEnvironment } from './e2e-setup.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

/** A Windows program's first bytes, sent as a text file. */
const PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.\r\n')]);

const WORDS = {
  en: {
    note: 'Hello, here are the invoice, the instructions and the receipt.',
    files: ['invoice.txt', 'instructions.txt', 'receipt.txt'],
    receipt: 'Return receipt no. 4471.\n',
  },
  it: {
    note: 'Buongiorno, le mando la fattura, le istruzioni e la ricevuta.',
    files: ['fattura.txt', 'istruzioni.txt', 'ricevuta.txt'],
    receipt: 'Ricevuta del reso n. 4471.\n',
  },
} as const;

/** A workstation of its own, on a server whose files clamd scans. */
export async function captureQuarantinedFile(e2e: E2eEnvironment, clamd: RunningClamd, language: UiLanguage, shot: Shot): Promise<Session> {
  const session = await e2e.open(language, {
    hostname: language === 'en' ? 'front-desk-05' : 'cassa-05',
    server: { scanner: { socketPath: clamd.socketPath } },
  });
  await reachInbox(session, { username: `sara.${language}`, displayName: 'Sara Neri', roles: ['agent'] });
  const { t } = session.stack;
  const words = WORDS[language];
  const sender = customer(t, 0);
  await t.customers.write(sender, { type: 'text', text: { body: words.note } });
  const ids: string[] = [];
  const [infected, program, receipt] = words.files;
  const sent: Array<[Buffer, string]> = [
    [EICAR, infected],
    [PROGRAM, program],
    [Buffer.from(words.receipt, 'utf8'), receipt],
  ];
  for (const [bytes, filename] of sent) {
    const file = t.sandbox.graph.addMedia(bytes, 'text/plain');
    await t.customers.write(sender, {
      type: 'document',
      document: { id: file.id, mime_type: 'text/plain', sha256: file.sha256Base64, filename },
    });
    ids.push(file.id);
  }
  await eventually(async () => {
    const rows = await t.server.database.db.selectFrom('media').select('scan_state').where('graph_media_id', 'in', ids).execute();
    return rows.length === ids.length && rows.every((row) => row.scan_state !== null && row.scan_state !== 'scanning') ? true : undefined;
  });
  await conversationRow(session, sender.name).click();
  await heading(session, sender.name).waitFor();
  const log = session.app.page.getByRole('log');
  await log.getByRole('article').filter({ hasText: infected }).getByText(session.tr('media.quarantined')).waitFor();
  await log.getByRole('article').filter({ hasText: program }).getByText(session.tr('media.refused'), { exact: false }).waitFor();
  await shot(session, language, 'conversation-quarantined-file');
  return session;
}
