/**
 * The approval page's throttle as the page uses it: in this process (login-throttle.ts, SQLite's
 * one process), or on PostgreSQL in the store, so several replicas behind a load balancer brake
 * one guesser together instead of each granting the free attempts and delays afresh
 * (docs/replicas.md). The store keeps the same counts as the in-process throttle, per kind
 * (address, username), under keyed hashes (never what a stranger typed), at most `maxTracked` rows
 * per kind (the least recently tried go first) and none older than `forgetAfterMs`. One admission
 * locks the address's row, then the username's (always in that order), so concurrent attempts on
 * any replica cannot all pass as the first.
 */
import { sql } from 'kysely';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import { delayAfter } from './login-throttle.js';
import type { LoginThrottle, ThrottleDecision, ThrottleKeys, ThrottlePolicy } from './login-throttle.js';

export interface PageLoginThrottle {
  admit(keys: ThrottleKeys, now: number): Promise<ThrottleDecision>;
  withdraw(keys: ThrottleKeys): Promise<void>;
  succeeded(keys: ThrottleKeys): Promise<void>;
}

const KINDS = ['address', 'username'] as const;
const MAC_PURPOSE = 'page-login-throttle';

export function inProcessPageThrottle(throttle: LoginThrottle): PageLoginThrottle {
  return {
    admit: (keys, now) => Promise.resolve(throttle.admit(keys, now)),
    withdraw: (keys) => Promise.resolve(throttle.withdraw(keys)),
    succeeded: (keys) => Promise.resolve(throttle.succeeded(keys)),
  };
}

export class StorePageThrottle implements PageLoginThrottle {
  readonly #committer: GroupCommitter;
  readonly #key: ServerKey;
  readonly #policy: ThrottlePolicy;

  constructor(deps: { readonly committer: GroupCommitter; readonly key: ServerKey; readonly policy: ThrottlePolicy }) {
    this.#committer = deps.committer;
    this.#key = deps.key;
    this.#policy = deps.policy;
  }

  admit(keys: ThrottleKeys, now: number): Promise<ThrottleDecision> {
    return this.#committer.submit(async (trx) => {
      const held: Array<{ by: (typeof KINDS)[number]; hash: string; attempts: number }> = [];
      let refusal: { retryAfterMs: number; by: keyof ThrottleKeys } | undefined;
      for (const by of KINDS) {
        const hash = this.#hash(by, keys[by]);
        const inserted = await sql`insert into page_login_attempts (kind, key_hash, attempts, last_at) values (${by}, ${hash}, 0, ${now})
          on conflict (kind, key_hash) do nothing`.execute(trx);
        if (Number(inserted.numAffectedRows ?? 0n) > 0) await this.#bound(trx, by, now);
        const row = await trx
          .selectFrom('page_login_attempts')
          .select(['attempts', 'last_at'])
          .where('kind', '=', by)
          .where('key_hash', '=', hash)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const attempts = now - row.last_at < this.#policy.forgetAfterMs ? row.attempts : 0;
        const wait = row.last_at + delayAfter(this.#policy, attempts) - now;
        if (attempts > 0 && wait > 0 && (refusal === undefined || wait > refusal.retryAfterMs)) refusal = { retryAfterMs: wait, by };
        held.push({ by, hash, attempts });
      }
      if (refusal !== undefined) return { allowed: false, ...refusal };
      for (const { by, hash, attempts } of held) {
        await trx
          .updateTable('page_login_attempts')
          .set({ attempts: attempts + 1, last_at: now })
          .where('kind', '=', by)
          .where('key_hash', '=', hash)
          .execute();
      }
      return { allowed: true };
    });
  }

  async withdraw(keys: ThrottleKeys): Promise<void> {
    await this.#committer.submit(async (trx) => {
      for (const by of KINDS) {
        await trx
          .updateTable('page_login_attempts')
          .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
          .where('kind', '=', by)
          .where('key_hash', '=', this.#hash(by, keys[by]))
          .where('attempts', '>', 0)
          .execute();
      }
    });
  }

  async succeeded(keys: ThrottleKeys): Promise<void> {
    await this.#committer.submit(async (trx) => {
      for (const by of KINDS) await trx.deleteFrom('page_login_attempts').where('kind', '=', by).where('key_hash', '=', this.#hash(by, keys[by])).execute();
    });
  }

  /** A new key of `by`: forgets the keys left alone too long, and the least recently tried past the cap. */
  async #bound(trx: StoreTransaction, by: (typeof KINDS)[number], now: number): Promise<void> {
    await trx
      .deleteFrom('page_login_attempts')
      .where('kind', '=', by)
      .where('last_at', '<=', now - this.#policy.forgetAfterMs)
      .execute();
    const { n } = await trx
      .selectFrom('page_login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', by)
      .executeTakeFirstOrThrow();
    const excess = Number(n) - this.#policy.maxTracked;
    if (excess <= 0) return;
    const oldest = trx.selectFrom('page_login_attempts').select('key_hash').where('kind', '=', by).orderBy('last_at').orderBy('key_hash').limit(excess);
    await trx.deleteFrom('page_login_attempts').where('kind', '=', by).where('key_hash', 'in', oldest).execute();
  }

  #hash(by: string, value: string): string {
    return this.#key.mac(MAC_PURPOSE, `${by}\0${value}`);
  }
}
