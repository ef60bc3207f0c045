/**
 * The one lock automatic assignment takes (docs/inbox-server.md, "Assignment"). Every decision of
 * who gets a conversation reads the members' loads and writes one of them; two such decisions at
 * once (two server processes on one PostgreSQL database) could both read "room for one" and both
 * assign. So each transaction that assigns takes this lock first and holds it to its commit:
 * decisions are serialized across processes, and as each statement of a PostgreSQL transaction
 * reads what committed before it, the loads read after the lock include every earlier decision.
 *
 * One lock rather than a team's row and its members' rows: an agent's load counts their
 * conversations of every team, so a decision locks across teams, and a group transaction that
 * assigns in several teams (a batch of webhooks) would take row locks in no fixed order, which is
 * how two transactions deadlock. One lock cannot be taken in two orders. It is asked for again by
 * every work that assigns (held already, that costs one round trip): a work rolled back to its
 * savepoint gives back what it took, so a transaction cannot remember having it.
 *
 * SQLite needs nothing: the store has one writer at a time (the group committer in one process;
 * `BEGIN IMMEDIATE`-level write locks between processes), and a transaction whose reads went
 * stale cannot commit a write.
 */
import { sql } from 'kysely';
import type { StoreTransaction } from '../store/group-commit.js';
import { dialectOf } from '../store/sql-dialect.js';

/** 'Sprt' 'rout' as one 64-bit number: a key of this application's own in PostgreSQL's advisory lock space. */
const ROUTING_LOCK_KEY = sql.raw('6012431347001292148');

export async function takeRoutingLock(trx: StoreTransaction): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`SELECT pg_advisory_xact_lock(${ROUTING_LOCK_KEY}::bigint)`.execute(trx);
}
