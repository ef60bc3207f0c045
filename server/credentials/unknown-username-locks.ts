/**
 * Failed logins against usernames that do not exist, counted so such a name locks after as many
 * failures as a real account, and lockout says nothing about which names are real. Both halves
 * are bounded, since the names are whatever a stranger types:
 * - the counts below the limit live in memory only, in a least-recently-used map with a cap: no
 *   answer shows them, so nothing is lost that a restart could reveal. On PostgreSQL, where
 *   several replicas take logins, they live in the store instead (`unknown_username_failures`,
 *   keyed hashes, at most `countedInMemory` rows, the oldest go first): counted per replica, an
 *   unknown name would lock only after as many failures per replica, which tells it from a real one;
 * - a lock is what an answer shows (`login_locked`), so it is stored, and a restart does not lift
 *   it while real accounts stay locked. Stored as a keyed hash, never the name typed, at most
 *   `lockedInStore` rows (the oldest go first).
 */
import type { Kysely } from 'kysely';
import type { ServerKey } from '../secrets/server-key.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { sql } from 'kysely';
import { dialectOf } from '../store/sql-dialect.js';
import { BoundedLru } from './bounded-lru.js';

export interface UnknownUsernameLimits {
  /** Failures to lock, as for a real account. */
  readonly failuresToLock: number;
  /** Usernames whose failures are counted in memory at once. */
  readonly countedInMemory: number;
  /** Locked unknown usernames kept in the store. */
  readonly lockedInStore: number;
}

const MAC_PURPOSE = 'unknown-username';

export class UnknownUsernameLocks {
  readonly #db: Kysely<InboxDatabase>;
  readonly #key: ServerKey;
  readonly #limits: UnknownUsernameLimits;
  readonly #failures: BoundedLru<string, number>;

  constructor(deps: { readonly db: Kysely<InboxDatabase>; readonly key: ServerKey; readonly limits: UnknownUsernameLimits }) {
    this.#db = deps.db;
    this.#key = deps.key;
    this.#limits = deps.limits;
    this.#failures = new BoundedLru(deps.limits.countedInMemory);
  }

  /** Usernames with failures counted now (at most `countedInMemory`): in memory, or on PostgreSQL in the store. */
  async counted(): Promise<number> {
    if (dialectOf(this.#db) !== 'postgres') return this.#failures.size;
    const { n } = await this.#db
      .selectFrom('unknown_username_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async isLocked(username: string): Promise<boolean> {
    const row = await this.#db.selectFrom('unknown_username_locks').select('locked_at').where('username_hash', '=', this.#hash(username)).executeTakeFirst();
    return row !== undefined;
  }

  /** Inside the failed attempt's transaction: counts it, and stores the lock when this failure reaches the limit. Whether it just locked. */
  async countFailure(trx: StoreTransaction, username: string, now: number): Promise<boolean> {
    if (dialectOf(trx) === 'postgres') {
      if (!(await this.#countedInStore(trx, username, now))) return false;
    } else {
      const failures = (this.#failures.get(username) ?? 0) + 1;
      if (failures < this.#limits.failuresToLock) {
        this.#failures.set(username, failures);
        return false;
      }
      this.#failures.delete(username);
    }
    const inserted = await trx
      .insertInto('unknown_username_locks')
      .values({ username_hash: this.#hash(username), locked_at: now })
      .onConflict((oc) => oc.column('username_hash').doNothing())
      .executeTakeFirst();
    const { n } = await trx
      .selectFrom('unknown_username_locks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const excess = Number(n) - this.#limits.lockedInStore;
    if (excess > 0) {
      const oldest = trx.selectFrom('unknown_username_locks').select('username_hash').orderBy('locked_at').orderBy('username_hash').limit(excess);
      await trx.deleteFrom('unknown_username_locks').where('username_hash', 'in', oldest).execute();
    }
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** PostgreSQL: counts the failure under the row's lock; true when it reaches the limit (the count then starts afresh). */
  async #countedInStore(trx: StoreTransaction, username: string, now: number): Promise<boolean> {
    const hash = this.#hash(username);
    const counted = await sql<{ failures: number; inserted: boolean }>`
      insert into unknown_username_failures as f (username_hash, failures, last_at) values (${hash}, 1, ${now})
      on conflict (username_hash) do update set failures = f.failures + 1, last_at = excluded.last_at
      returning failures, (xmax = 0) as inserted`.execute(trx);
    const row = counted.rows[0];
    if (row === undefined) return false;
    if (row.failures >= this.#limits.failuresToLock) {
      await trx.deleteFrom('unknown_username_failures').where('username_hash', '=', hash).execute();
      return true;
    }
    if (row.inserted) {
      const { n } = await trx
        .selectFrom('unknown_username_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const excess = Number(n) - this.#limits.countedInMemory;
      if (excess > 0) {
        const oldest = trx.selectFrom('unknown_username_failures').select('username_hash').orderBy('last_at').orderBy('username_hash').limit(excess);
        await trx.deleteFrom('unknown_username_failures').where('username_hash', 'in', oldest).execute();
      }
    }
    return false;
  }

  #hash(username: string): string {
    return this.#key.mac(MAC_PURPOSE, username);
  }
}
