import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { notNull, TIME, withId } from './portable-columns.js';

/**
 * Keys a device no longer has the right to use: the key of a revoked device, and the old key of a
 * device an approved re-pairing gave a new one. The server tells such a key `revoked` (so its
 * install wipes itself) until it has been told once, even after the revocation is lifted or the
 * key replaced. Devices revoked before this migration are entered with their key as it stands.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await withId(db.schema.createTable('retired_device_keys'))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
    .addColumn('public_key', 'text', notNull)
    .addColumn('key_fingerprint', 'text', notNull)
    .addColumn('cause', 'text', notNull)
    .addColumn('reason', 'text', notNull)
    .addColumn('retired_at', TIME, notNull)
    .addColumn('told_at', TIME)
    .execute();
  await db.schema.createIndex('retired_device_keys_by_device').on('retired_device_keys').columns(['device_id', 'told_at']).execute();
  await sql`INSERT INTO retired_device_keys (device_id, public_key, key_fingerprint, cause, reason, retired_at, told_at)
    SELECT id, public_key, key_fingerprint, 'revoked', COALESCE(revoked_reason, 'Revoked by an administrator.'), COALESCE(revoked_at, updated_at), NULL
    FROM devices WHERE status = 'revoked' AND public_key IS NOT NULL AND key_fingerprint IS NOT NULL`.execute(db);
}
