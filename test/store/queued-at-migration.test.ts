/**
 * Migration 0022 on a store written before it, on SQLite and on PostgreSQL (the `postgres`
 * project): `queued_at` is backfilled from the history as the views read the waiting time until
 * then (server/inbox/queue-wait.ts before 0022). A queued conversation (open, of a team, assigned to
 * nobody) waits from its latest history line that put it in the queue (an assignment to nobody, a
 * change of state to open), else from when it began; one that is assigned, pending, snoozed,
 * resolved or of no team waits in no queue (null), whatever 0018 had set.
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { DATABASE_FILE } from '../../server/store/open-database.js';
import { postgresPool } from '../../server/store/open-postgres.js';
import type { ConversationStateValue, InboxDatabase } from '../../server/store/schema.js';
import { postgresStoreDialect } from '../../server/store/sql-dialect.js';
import { contactRow } from '../helpers/fresh-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { testDatabaseUrl } from '../helpers/test-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BEFORE_0022 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0022'));
const NUMBER = '100000000000001';

async function storeBefore0022(): Promise<Kysely<InboxDatabase>> {
  const temp = makeTempDir();
  cleanups.push(() => temp.remove());
  const url = await testDatabaseUrl(temp.dir);
  const db = new Kysely<InboxDatabase>({
    dialect: url === undefined ? new SqliteDialect({ database: new Database(path.join(temp.dir, DATABASE_FILE)) }) : postgresStoreDialect(postgresPool(url)),
  });
  cleanups.push(() => db.destroy());
  expect((await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(BEFORE_0022) } }).migrateToLatest()).error).toBeUndefined();
  return db;
}

interface Made {
  readonly state?: ConversationStateValue;
  readonly assigned?: boolean;
  readonly team?: boolean;
  /** Its history: (kind, state or assignee) at a time. */
  readonly history?: ReadonlyArray<readonly ['state', ConversationStateValue, number] | readonly ['assignment', 'agent' | null, number]>;
}

describe('migration 0022', () => {
  it('backfills queued_at from the history for queued conversations, and clears it for every other', async () => {
    const db = await storeBefore0022();
    const team = (await db.selectFrom('teams').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
    const agent = (
      await db
        .insertInto('agents')
        .values({ username: 'anna', display_name: 'Anna', roles: 'agent', status: 'active', created_by: 'test', created_at: 1, updated_at: 1 } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    let contacts = 0;
    const make = async ({ state = 'open', assigned = false, team: ofTeam = true, history = [] }: Made): Promise<number> => {
      contacts += 1;
      const contactId = (
        await db
          .insertInto('contacts')
          .values(contactRow(`39347000000${contacts}`))
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const { id } = await db
        .insertInto('conversations')
        .values({
          contact_id: contactId,
          business_phone_number_id: NUMBER,
          team_id: ofTeam ? team : null,
          assigned_agent_id: assigned ? agent : null,
          state,
          last_inbound_at: null,
          last_message_at: null,
          last_message_id: null,
          created_at: 1000,
          updated_at: 1000,
          // What 0018 set: the creation time, kept through assignments.
          queued_at: 1000,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [kind, what, at] of history)
        await db
          .insertInto('conversation_history')
          .values({
            conversation_id: id,
            kind,
            from_state: null,
            state: kind === 'state' ? what : null,
            snoozed_until: null,
            assigned_agent_id: kind === 'assignment' && what === 'agent' ? agent : null,
            actor_agent_id: null,
            cause: 'agent',
            at,
          } as never)
          .execute();
      return id;
    };

    const rows = {
      neverMoved: await make({}),
      requeued: await make({
        history: [
          ['assignment', 'agent', 2000],
          ['assignment', null, 3000],
        ],
      }),
      requeuedThenReopened: await make({
        history: [
          ['assignment', null, 2000],
          ['state', 'pending', 2500],
          ['state', 'open', 4000],
        ],
      }),
      lastLineCounts: await make({
        history: [
          ['state', 'open', 2200],
          ['state', 'snoozed', 2600],
          ['assignment', 'agent', 2700],
          ['assignment', null, 2800],
        ],
      }),
      assigned: await make({ assigned: true, history: [['assignment', 'agent', 2000]] }),
      pending: await make({ state: 'pending', history: [['assignment', null, 2000]] }),
      snoozed: await make({ state: 'snoozed' }),
      resolved: await make({ state: 'resolved', history: [['state', 'open', 2000]] }),
      noTeam: await make({ team: false }),
    };

    expect((await new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) } }).migrateToLatest()).error).toBeUndefined();
    const after = await db.selectFrom('conversations').select(['id', 'queued_at']).execute();
    const queuedAtOf = new Map(after.map((row) => [row.id, row.queued_at === null ? null : Number(row.queued_at)]));
    expect(Object.fromEntries(Object.entries(rows).map(([name, id]) => [name, queuedAtOf.get(id)]))).toEqual({
      neverMoved: 1000,
      requeued: 3000,
      requeuedThenReopened: 4000,
      lastLineCounts: 2800,
      assigned: null,
      pending: null,
      snoozed: null,
      resolved: null,
      noTeam: null,
    });
  });
});
