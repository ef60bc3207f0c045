/**
 * An admin's acts on business numbers (the admin CLI and the admin routes): each in one transaction with its
 * audit row. The audit records which number and what happened, never a token or a secret.
 */
import type { Kysely } from 'kysely';
import type { BusinessNumberList, BusinessNumberView } from '../../common/api/business-numbers.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { commitAudited } from '../audit/audited-commit.js';
import type { AuditDetails } from '../audit/audited-commit.js';
import type { Actor } from '../audit/actor.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { teamRow } from '../teams/team-membership.js';
import { addNumber, listNumbers, listUnknownNumbers, removeNumber, rotateNumberToken, unknownNumber } from './number-records.js';
import type { NewNumber, RemovalOfConversations } from './number-records.js';

export interface NumberAdminDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly now: () => number;
  /** In the running server: read the numbers again at once, so an admin route's change sends now (the CLI's waits for the next poll). */
  readonly changed?: () => Promise<void>;
}

export class NumberAdmin {
  readonly #deps: NumberAdminDeps;

  constructor(deps: NumberAdminDeps) {
    this.#deps = deps;
  }

  async list(): Promise<BusinessNumberList> {
    return { numbers: await listNumbers(this.#deps.db), unknown: await listUnknownNumbers(this.#deps.db) };
  }

  /** One number's public record (never its secrets). */
  async get(phoneNumberId: string): Promise<BusinessNumberView> {
    const found = (await listNumbers(this.#deps.db)).find((number) => number.phoneNumberId === phoneNumberId);
    if (found === undefined) throw unknownNumber(phoneNumberId);
    return found;
  }

  async add(number: NewNumber, actor: Actor): Promise<void> {
    await this.#audited(actor, 'number.added', async (trx, now) => {
      await addNumber(trx, this.#deps.key, number, now);
      return { phoneNumberId: number.phoneNumberId, wabaId: number.wabaId, displayName: number.displayName, ownAppSecret: number.appSecret !== undefined };
    });
  }

  async rotateToken(phoneNumberId: string, accessToken: string, actor: Actor): Promise<void> {
    await this.#audited(actor, 'number.token_rotated', async (trx, now) => {
      await rotateNumberToken(trx, this.#deps.key, phoneNumberId, accessToken, now);
      return { phoneNumberId };
    });
  }

  async remove(phoneNumberId: string, conversations: RemovalOfConversations, actor: Actor): Promise<{ moved: number }> {
    let moved = 0;
    await this.#audited(actor, 'number.removed', async (trx, now) => {
      const row = await trx.selectFrom('business_numbers').select('from_environment').where('phone_number_id', '=', phoneNumberId).executeTakeFirst();
      if (row === undefined) throw unknownNumber(phoneNumberId);
      if (row.from_environment === 1) {
        throw new CodedError(
          'number_from_environment',
          `The number ${phoneNumberId} is the one WHATSAPP_PHONE_NUMBER_ID names: the server adds it again at every start. Change the settings instead.`,
        );
      }
      moved = (await removeNumber(trx, phoneNumberId, conversations, now)).moved;
      return { phoneNumberId, movedConversations: moved, movedTo: conversations.kind === 'move_to' ? conversations.phoneNumberId : null };
    });
    return { moved };
  }

  /** The team the number's new conversations go to (null: the default team); conversations it has stay where they are. */
  async setTeam(phoneNumberId: string, teamId: number | null, actor: Actor): Promise<void> {
    await this.#audited(actor, 'number.team_set', async (trx, now) => {
      if (teamId !== null) await teamRow(trx, teamId);
      const updated = await trx
        .updateTable('business_numbers')
        .set({ default_team_id: teamId, updated_at: now })
        .where('phone_number_id', '=', phoneNumberId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw unknownNumber(phoneNumberId);
      return { phoneNumberId, teamId };
    });
  }

  async #audited(actor: Actor, event: string, act: (trx: StoreTransaction, now: number) => Promise<AuditDetails>): Promise<void> {
    await commitAudited(this.#deps.committer, actor, event, this.#deps.now(), async (trx, now) => ({ result: undefined, details: await act(trx, now) }));
    await this.#deps.changed?.();
  }
}
