/**
 * Numbers configured at start: the WHATSAPP_* settings name "the first number" (as before several
 * numbers existed), and the sandbox names its second one. Each start writes them into
 * `business_numbers`: a new number is added; a known one whose token differs gets the new token
 * sealed and its health cleared (a re-authorisation), as a different WHATSAPP_ACCESS_TOKEN always
 * did. Numbers added with the admin CLI are left as they are.
 */
import crypto from 'node:crypto';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { NumberHealthState } from '../store/schema.js';
import { newNumberRow } from './number-records.js';
import { openNumberSecret } from './number-secrets.js';

export interface NumberSeed {
  readonly phoneNumberId: string;
  readonly accessToken: string;
  readonly wabaId?: string | undefined;
  readonly displayName?: string | undefined;
  /** Only when it differs from WHATSAPP_APP_SECRET (another app). */
  readonly appSecret?: string | undefined;
}

/** Writes the seeds; the first is the WHATSAPP_* settings' number (`from_environment`). */
export async function seedNumbers(committer: GroupCommitter, key: ServerKey, seeds: readonly NumberSeed[], now: number): Promise<void> {
  await committer.submit(async (trx) => {
    const first = seeds[0];
    if (first !== undefined) {
      await trx.updateTable('business_numbers').set({ from_environment: 0 }).where('phone_number_id', '!=', first.phoneNumberId).execute();
    }
    for (const [index, seed] of seeds.entries()) await seedOne(trx, key, seed, index === 0, now);
  });
}

async function seedOne(trx: StoreTransaction, key: ServerKey, seed: NumberSeed, fromEnvironment: boolean, now: number): Promise<void> {
  const row = newNumberRow(key, { ...seed, wabaId: seed.wabaId ?? null, displayName: seed.displayName ?? seed.phoneNumberId }, fromEnvironment, now);
  const existing = await trx.selectFrom('business_numbers').selectAll().where('phone_number_id', '=', seed.phoneNumberId).executeTakeFirst();
  if (existing === undefined) {
    await trx.insertInto('business_numbers').values(row).execute();
    return;
  }
  const sameToken = existing.access_token_sealed !== null && sealedMatches(key, seed.phoneNumberId, existing.access_token_sealed, seed.accessToken);
  const carried = existing.access_token_sealed === null ? await legacyHealth(trx, seed) : undefined;
  await trx
    .updateTable('business_numbers')
    .set({
      from_environment: fromEnvironment ? 1 : 0,
      ...(existing.waba_id === null && seed.wabaId !== undefined ? { waba_id: seed.wabaId } : {}),
      // A name an admin chose stays; the placeholder a migrated number got gives way.
      ...(existing.display_name === existing.phone_number_id && seed.displayName !== undefined ? { display_name: seed.displayName } : {}),
      ...(sameToken
        ? {}
        : {
            access_token_sealed: row.access_token_sealed,
            health_state: carried?.state ?? 'ok',
            health_error_code: carried?.errorCode ?? null,
            health_reason: carried?.reason ?? null,
            health_changed_at: now,
          }),
      app_secret_sealed: row.app_secret_sealed,
      updated_at: now,
    })
    .where('phone_number_id', '=', seed.phoneNumberId)
    .execute();
}

function sealedMatches(key: ServerKey, phoneNumberId: string, sealed: string, token: string): boolean {
  try {
    const stored = Buffer.from(openNumberSecret(key, phoneNumberId, 'access-token', sealed));
    const given = Buffer.from(token);
    return stored.length === given.length && crypto.timingSafeEqual(stored, given);
  } catch {
    return false;
  }
}

/**
 * A store from before migration 0012 kept a refused token's state in `channel_state`, by the
 * token's fingerprint: the same token is still refused, so its state carries over.
 */
async function legacyHealth(
  trx: StoreTransaction,
  seed: NumberSeed,
): Promise<{ state: NumberHealthState; errorCode: string | null; reason: string | null } | undefined> {
  const row = await trx.selectFrom('channel_state').selectAll().where('phone_number_id', '=', seed.phoneNumberId).executeTakeFirst();
  const fingerprint = crypto.createHash('sha256').update(seed.accessToken).digest('hex').slice(0, 16);
  if (row === undefined || row.token_fingerprint !== fingerprint || row.state === 'ok') return undefined;
  return { state: row.state, errorCode: row.error_code, reason: row.reason };
}
