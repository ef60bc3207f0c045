import type { Kysely } from 'kysely';

/**
 * The audit chain becomes keyed: each new row's hash is an HMAC under a key derived from the
 * server key (server/audit/audit-chain.ts), which a migration does not hold. So the rows already
 * written keep their plain SHA-256 hashes and are marked as such: `chain_version` 1 is the
 * unkeyed SHA-256 of before, 2 the keyed HMAC every row gets from now on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit_log')
    .addColumn('chain_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
