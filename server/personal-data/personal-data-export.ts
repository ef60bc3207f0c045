/**
 * A data-subject export (issue 13): everything Sportello recorded of asking a contact for personal
 * data (each request's kinds, purpose, who and when) and their answers on promotions, for an
 * administrator answering the customer's request, through the client API or the admin CLI. The
 * contact is named by id or, from the CLI, by their WhatsApp number. Audited as
 * `personal_data.exported`, naming the contact only; the messages themselves are not in it.
 */
import type { Kysely } from 'kysely';
import type { PersonalDataExport } from '../../common/api/personal-data.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { personalDataOfContact } from './personal-data-records.js';

export interface ExportDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly now: () => number;
}

export async function exportPersonalData(deps: ExportDeps, actor: Actor, contact: number | string): Promise<PersonalDataExport> {
  const { db, committer, now } = deps;
  const query = db.selectFrom('contacts').select(['id', 'wa_id', 'user_id', 'profile_name']);
  const row = await (typeof contact === 'number' ? query.where('id', '=', contact) : query.where('wa_id', '=', contact)).executeTakeFirst();
  if (row === undefined) throw new CodedError('contact_not_found', `There is no contact ${contact}.`);
  const exportedAt = now();
  await committer.submit((trx) =>
    appendAudit(
      trx,
      {
        event: 'personal_data.exported',
        outcome: 'ok',
        actor: actor.name,
        agentId: actor.agentId,
        sourceAddress: actor.sourceAddress,
        details: { contactId: row.id },
      },
      exportedAt,
    ),
  );
  const data = await personalDataOfContact(db, row.id);
  return { contact: { id: row.id, waId: row.wa_id, userId: row.user_id, profileName: row.profile_name }, ...data, exportedAt };
}
