/**
 * Whether an error says the store cannot be reached or written just now (PostgreSQL down,
 * restarting or out of connections; the disk full; SQLite's file busy or failing), as opposed to
 * work that is wrong. Such a request changed nothing (its transaction did not commit) and may be
 * sent again: webhooks and API calls answer 503 `store_unavailable` so that Meta and the desktop
 * client retry, instead of a 500 that says the server is broken.
 */

/** SQLSTATE classes and codes: connection exception (08), insufficient resources (53), operator intervention (57P), system error (58). */
const POSTGRES_UNAVAILABLE = /^(08...|53...|57P0[1-4]|58...)$/;
const NODE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOSPC', 'EIO']);
/** better-sqlite3's codes: the disk full, an I/O error, the file locked past the busy timeout or not openable. */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR(_\w+)?|BUSY(_\w+)?|CANTOPEN(_\w+)?)$/;
/** pg's own errors for a connection that went away, which carry no code. */
const PG_CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable)/;

export function isStoreUnavailable(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at !== null && typeof at === 'object' && depth < 5; at = (at as { cause?: unknown }).cause, depth += 1) {
    const { code, message } = at as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (POSTGRES_UNAVAILABLE.test(code) || NODE_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.test(code))) return true;
    if (typeof message === 'string' && PG_CONNECTION_LOST.test(message)) return true;
  }
  return false;
}

/** What a client is told to wait before it tries again (the Retry-After header, seconds). */
export const STORE_RETRY_AFTER_SECONDS = 5;
