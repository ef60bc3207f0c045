/**
 * Check-then-insert under a unique key (a send's idempotency key) across replicas: two
 * transactions on two PostgreSQL connections can both find no row and both insert; the unique
 * constraint lets one in and fails the other with unique_violation once the first commits. Run
 * once more, the loser's check finds the winner's row and answers as for any repeat. SQLite never
 * gets here (one writer: the check and the insert hold its write lock together).
 */

/** PostgreSQL's unique_violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** `run`, and once more if it lost a race on a unique key. */
export async function againAfterUniqueRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return await run();
  }
}
