/**
 * Customers are known by their phone number (`wa_id`), their business-scoped user id (BSUID), or
 * both; either may be missing. The BSUID names a person, the number only a line: when a number
 * reappears under a different BSUID it has moved to someone else, and it moves with it.
 */
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';
import type { ContactRow } from '../store/schema.js';

/** A WhatsApp user, by whichever identifiers the payload carried (at least one). */
export interface CustomerRef {
  readonly waId?: string | undefined;
  readonly userId?: string | undefined;
  readonly parentUserId?: string | undefined;
  readonly profileName?: string | undefined;
  readonly username?: string | undefined;
}

const contactByUserId = prepareQuery((db, v: { userId: string }) => db.selectFrom('contacts').selectAll().where('user_id', '=', v.userId));
const contactByWaId = prepareQuery((db, v: { waId: string }) => db.selectFrom('contacts').selectAll().where('wa_id', '=', v.waId));

export async function resolveContact(trx: StoreTransaction, ref: CustomerRef, now: number): Promise<number> {
  const byUser = ref.userId === undefined ? undefined : await contactByUserId.first(trx, { userId: ref.userId });
  // Usually the BSUID's contact holds the number too: then it is the number's contact as well (wa_id is unique).
  const byPhone = ref.waId === undefined ? undefined : byUser?.wa_id === ref.waId ? byUser : await contactByWaId.first(trx, { waId: ref.waId });

  if (byUser !== undefined) {
    if (byPhone !== undefined && byPhone.id !== byUser.id) await releasePhone(trx, byPhone.id, now);
    await updateContact(trx, byUser, ref, now);
    return byUser.id;
  }
  if (byPhone !== undefined) {
    const recycled = ref.userId !== undefined && byPhone.user_id !== null && byPhone.user_id !== ref.userId;
    if (!recycled) {
      await updateContact(trx, byPhone, ref, now);
      return byPhone.id;
    }
    await releasePhone(trx, byPhone.id, now);
  }
  const inserted = await trx
    .insertInto('contacts')
    .values({
      wa_id: ref.waId ?? null,
      user_id: ref.userId ?? null,
      parent_user_id: ref.parentUserId ?? null,
      profile_name: ref.profileName ?? null,
      username: ref.username ?? null,
      marketing_preference: null,
      marketing_preference_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The contact that stands for a WhatsApp group (its `group_id`; no number, no user id), made on its first message. */
export async function resolveGroupContact(trx: StoreTransaction, groupId: string, now: number): Promise<number> {
  const existing = await trx.selectFrom('contacts').select('id').where('group_id', '=', groupId).executeTakeFirst();
  if (existing !== undefined) return existing.id;
  const inserted = await trx
    .insertInto('contacts')
    .values({
      wa_id: null,
      user_id: null,
      parent_user_id: null,
      profile_name: null,
      username: null,
      marketing_preference: null,
      marketing_preference_at: null,
      group_id: groupId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Whether the conversation is a group's (its contact stands for a WhatsApp group). */
export async function isGroupConversation(db: Pick<StoreTransaction, 'selectFrom'>, conversationId: number): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select('contacts.group_id')
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  return row !== undefined && row.group_id !== null;
}

/** The customer now uses another number (system message `user_changed_number`). */
export async function changeContactNumber(trx: StoreTransaction, contactId: number, newWaId: string, now: number): Promise<void> {
  const holder = await trx.selectFrom('contacts').select('id').where('wa_id', '=', newWaId).executeTakeFirst();
  if (holder?.id === contactId) return;
  if (holder !== undefined) await releasePhone(trx, holder.id, now);
  await trx.updateTable('contacts').set({ wa_id: newWaId, updated_at: now }).where('id', '=', contactId).execute();
}

/** Marketing opt-out or resume; an older preference never overrides a newer one. */
export async function applyMarketingPreference(trx: StoreTransaction, contactId: number, value: string, at: number): Promise<boolean> {
  const result = await trx
    .updateTable('contacts')
    .set({ marketing_preference: value, marketing_preference_at: at, updated_at: at })
    .where('id', '=', contactId)
    .where((eb) => eb.or([eb('marketing_preference_at', 'is', null), eb('marketing_preference_at', '<', at)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

async function releasePhone(trx: StoreTransaction, contactId: number, now: number): Promise<void> {
  await trx.updateTable('contacts').set({ wa_id: null, updated_at: now }).where('id', '=', contactId).execute();
}

async function updateContact(trx: StoreTransaction, row: ContactRow, ref: CustomerRef, now: number): Promise<void> {
  const changes: Partial<Record<'wa_id' | 'user_id' | 'parent_user_id' | 'profile_name' | 'username', string>> = {};
  if (ref.waId !== undefined && ref.waId !== row.wa_id) changes.wa_id = ref.waId;
  if (ref.userId !== undefined && ref.userId !== row.user_id) changes.user_id = ref.userId;
  if (ref.parentUserId !== undefined && ref.parentUserId !== row.parent_user_id) changes.parent_user_id = ref.parentUserId;
  if (ref.profileName !== undefined && ref.profileName !== row.profile_name) changes.profile_name = ref.profileName;
  if (ref.username !== undefined && ref.username !== row.username) changes.username = ref.username;
  if (Object.keys(changes).length === 0) return;
  await trx
    .updateTable('contacts')
    .set({ ...changes, updated_at: now })
    .where('id', '=', row.id)
    .execute();
}
