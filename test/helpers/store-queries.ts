/** Reads of the store the tests assert on. */
import type { Kysely } from 'kysely';
import type { InboxDatabase } from '../../server/store/schema.js';

/** The inbox's tables, whose rows a webhook may add. */
export const INBOX_TABLES = [
  'contacts',
  'conversations',
  'messages',
  'message_statuses',
  'reactions',
  'media',
  'business_events',
  'webhook_quarantine',
] as const;

/** How many rows each table holds: the inbox's, or those named. */
export async function rowCounts(db: Kysely<InboxDatabase>, tables: ReadonlyArray<keyof InboxDatabase> = INBOX_TABLES): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

export async function messageByWamid(db: Kysely<InboxDatabase>, wamid: string) {
  return db.selectFrom('messages').selectAll().where('wamid', '=', wamid).executeTakeFirst();
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until `check` answers true (a wait for a state to arrive, never a timing assert). */
export function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<true> {
  return eventually(async () => ((await check()) ? true : undefined), timeoutMs, what);
}
