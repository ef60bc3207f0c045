/**
 * Keys a device may no longer use: a revoked device's key, and the old key an approved re-pairing
 * replaced. An install still holding such a key also holds a cache it lost the right to, so the
 * server answers that key `revoked` (the install then wipes itself) until it has been told once,
 * even after the revocation is lifted or the key replaced. After that the key is as unknown as any.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { DeviceRow, RetiredDeviceKeyRow, RetiredKeyCause } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';

export const KEY_REPLACED_REASON = 'This machine was paired again with a new key: this installation no longer has access, and erases what it kept.';

/** Enters the device's current key as retired (nothing to do for a device that never had one). */
export async function retireDeviceKey(
  trx: StoreTransaction,
  device: Pick<DeviceRow, 'id' | 'public_key' | 'key_fingerprint'>,
  cause: RetiredKeyCause,
  reason: string,
  now: number,
): Promise<void> {
  if (device.public_key === null || device.key_fingerprint === null) return;
  await trx
    .insertInto('retired_device_keys')
    .values({ device_id: device.id, public_key: device.public_key, key_fingerprint: device.key_fingerprint, cause, reason, retired_at: now, told_at: null })
    .execute();
}

/** The device's retired key, not yet told, that `signedBy` accepts (the one that signed a proof). */
export async function untoldRetiredKey(
  db: Kysely<InboxDatabase>,
  deviceId: number,
  signedBy: (publicKey: string) => boolean,
): Promise<RetiredDeviceKeyRow | undefined> {
  const rows = await db
    .selectFrom('retired_device_keys')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('told_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.find((row) => signedBy(row.public_key));
}

/** The old key has been answered `revoked`: from now on it is told nothing more than an unknown key. */
export async function markRetiredKeyTold(trx: StoreTransaction, key: RetiredDeviceKeyRow, actor: string, now: number): Promise<void> {
  const told = await trx
    .updateTable('retired_device_keys')
    .set({ told_at: now })
    .where('id', '=', key.id)
    .where('told_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (told === undefined) return;
  await appendAudit(
    trx,
    { event: 'device.retired_key_told', outcome: 'ok', actor, deviceId: key.device_id, details: { keyFingerprint: key.key_fingerprint, cause: key.cause } },
    now,
  );
}

/** An admin approved this key for the device again: it is no longer retired. */
export async function reinstateDeviceKey(trx: StoreTransaction, deviceId: number, publicKey: string): Promise<void> {
  await trx.deleteFrom('retired_device_keys').where('device_id', '=', deviceId).where('public_key', '=', publicKey).execute();
}
