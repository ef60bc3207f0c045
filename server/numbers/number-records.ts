/**
 * The `business_numbers` rows: adding, listing, removing a number and replacing its token, as the
 * admin CLI and the start-up seeding do them. Secrets are sealed here, before they reach a
 * statement; what is read back for people (`NumberSummary`) never holds them.
 */
import type { Insertable, Kysely } from 'kysely';
import { CodedError } from '../../common/errors/coded-error.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { BusinessNumberView, UnknownNumberView } from '../../common/api/business-numbers.js';
import type { BusinessNumberRow, BusinessNumbersTable, InboxDatabase } from '../store/schema.js';
import { sealNumberSecret } from './number-secrets.js';

type Db = Kysely<InboxDatabase>;

/** What may be shown of a number: everything but its secrets. */
export type NumberSummary = BusinessNumberView;

export interface NewNumber {
  readonly phoneNumberId: string;
  readonly wabaId: string;
  readonly displayName: string;
  readonly accessToken: string;
  /** Only when the number's app is another than WHATSAPP_APP_SECRET's. */
  readonly appSecret?: string | undefined;
}

/** What to do with a removed number's conversations: none may be left without a number. */
export type RemovalOfConversations = { readonly kind: 'refuse' } | { readonly kind: 'move_to'; readonly phoneNumberId: string };

export async function listNumbers(db: Db): Promise<NumberSummary[]> {
  const rows = await db.selectFrom('business_numbers').selectAll().orderBy('id').execute();
  const counts = await db
    .selectFrom('conversations')
    .select(['business_phone_number_id', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('business_phone_number_id')
    .execute();
  const countOf = new Map(counts.map((row) => [row.business_phone_number_id, Number(row.count)]));
  return rows.map((row) => summaryOf(row, countOf.get(row.phone_number_id) ?? 0));
}

function summaryOf(row: BusinessNumberRow, conversations: number): NumberSummary {
  return {
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    displayName: row.display_name,
    ownAppSecret: row.app_secret_sealed !== null,
    hasToken: row.access_token_sealed !== null,
    fromEnvironment: row.from_environment === 1,
    defaultTeamId: row.default_team_id,
    health: row.health_state,
    healthReason: row.health_reason,
    healthChangedAt: row.health_changed_at,
    conversations,
  };
}

/** A new number's row, its secrets sealed: it can send at once. */
export function newNumberRow(
  key: ServerKey,
  number: { phoneNumberId: string; wabaId: string | null; displayName: string; accessToken: string; appSecret?: string | undefined },
  fromEnvironment: boolean,
  now: number,
): Insertable<BusinessNumbersTable> {
  return {
    phone_number_id: number.phoneNumberId,
    waba_id: number.wabaId,
    display_name: number.displayName,
    access_token_sealed: sealNumberSecret(key, number.phoneNumberId, 'access-token', number.accessToken),
    app_secret_sealed: number.appSecret === undefined ? null : sealNumberSecret(key, number.phoneNumberId, 'app-secret', number.appSecret),
    from_environment: fromEnvironment ? 1 : 0,
    health_state: 'ok',
    health_error_code: null,
    health_reason: null,
    health_changed_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** Webhooks kept as from numbers not served, one line per number and reason. */
export async function listUnknownNumbers(db: Db): Promise<UnknownNumberView[]> {
  const rows = await db
    .selectFrom('unknown_number_webhooks')
    .select((eb) => [
      'phone_number_id',
      'reason',
      eb.fn.max('waba_id').as('waba_id'),
      eb.fn.countAll<number>().as('webhooks'),
      eb.fn.min('received_at').as('first'),
      eb.fn.max('received_at').as('last'),
    ])
    .groupBy(['phone_number_id', 'reason'])
    .orderBy('last', 'desc')
    .execute();
  return rows.map((row) => ({
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    reason: row.reason === 'other_app' ? 'other_app' : 'not_configured',
    webhooks: Number(row.webhooks),
    firstReceivedAt: Number(row.first),
    lastReceivedAt: Number(row.last),
  }));
}

export async function addNumber(db: Db, key: ServerKey, number: NewNumber, now: number): Promise<void> {
  const inserted = await db
    .insertInto('business_numbers')
    .values(newNumberRow(key, number, false, now))
    .onConflict((oc) => oc.column('phone_number_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted === undefined) {
    throw new CodedError('number_exists', `The number ${number.phoneNumberId} is already configured: use "numbers rotate-token" to replace its token.`);
  }
}

/** Replaces the token (a re-authorisation): the number can send again. */
export async function rotateNumberToken(db: Db, key: ServerKey, phoneNumberId: string, accessToken: string, now: number): Promise<void> {
  const updated = await db
    .updateTable('business_numbers')
    .set({
      access_token_sealed: sealNumberSecret(key, phoneNumberId, 'access-token', accessToken),
      health_state: 'ok',
      health_error_code: null,
      health_reason: null,
      health_changed_at: now,
      updated_at: now,
    })
    .where('phone_number_id', '=', phoneNumberId)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw unknownNumber(phoneNumberId);
}

/**
 * Removes a number. Its conversations are never left without one: while it has any, removal is
 * refused unless they are moved to another configured number (`move_to`), whose token then
 * answers them.
 */
export async function removeNumber(db: Db, phoneNumberId: string, conversations: RemovalOfConversations, now: number): Promise<{ moved: number }> {
  const row = await db.selectFrom('business_numbers').select('id').where('phone_number_id', '=', phoneNumberId).executeTakeFirst();
  if (row === undefined) throw unknownNumber(phoneNumberId);
  const count = Number(
    (
      await db
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('business_phone_number_id', '=', phoneNumberId)
        .executeTakeFirstOrThrow()
    ).count,
  );
  let moved = 0;
  if (count > 0) {
    if (conversations.kind === 'refuse') {
      throw new CodedError(
        'number_has_conversations',
        `The number ${phoneNumberId} still has ${count} conversation(s): move them to another number with --move-conversations-to <phone-number-id>, or keep the number.`,
        { conversations: count },
      );
    }
    const target = conversations.phoneNumberId;
    if (target === phoneNumberId) throw new CodedError('number_move_to_itself', 'Conversations cannot be moved to the number being removed.');
    const targetRow = await db.selectFrom('business_numbers').select('id').where('phone_number_id', '=', target).executeTakeFirst();
    if (targetRow === undefined) throw unknownNumber(target);
    // A customer already writing to the target number has a conversation there: two would clash on (contact, number).
    const clash = await db
      .selectFrom('conversations as leaving')
      .innerJoin('conversations as staying', 'staying.contact_id', 'leaving.contact_id')
      .select('leaving.id')
      .where('leaving.business_phone_number_id', '=', phoneNumberId)
      .where('staying.business_phone_number_id', '=', target)
      .executeTakeFirst();
    if (clash !== undefined) {
      throw new CodedError(
        'number_move_clash',
        `Conversation ${clash.id}'s customer also writes to ${target}: conversations cannot be merged, so the number cannot be removed yet.`,
      );
    }
    const result = await db
      .updateTable('conversations')
      .set({ business_phone_number_id: target, updated_at: now })
      .where('business_phone_number_id', '=', phoneNumberId)
      .executeTakeFirst();
    moved = Number(result.numUpdatedRows);
  }
  await db.deleteFrom('business_numbers').where('phone_number_id', '=', phoneNumberId).execute();
  return { moved };
}

export function unknownNumber(phoneNumberId: string): CodedError {
  return new CodedError('number_unknown', `There is no configured number ${phoneNumberId}: "numbers list" shows them.`);
}
