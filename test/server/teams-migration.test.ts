/**
 * Migration 0013 on a store written before teams: what was there keeps working, least privilege
 * from then on. One team, General, holds every conversation and every number; each agent is a
 * member of it (capacity 10), each supervisor supervises it, and an admin keeps `admin` alone,
 * which reads no conversation. The started server then serves each of them exactly that.
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import { teamScopeOf } from '../../server/sessions/team-scope.js';
import { rolesOf } from '../../server/store/agent-roles.js';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { DATABASE_FILE } from '../../server/store/open-database.js';
import type { InboxDatabase } from '../../server/store/schema.js';
import { contactRow } from '../helpers/fresh-store.js';
import { startTestServer } from '../helpers/test-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BEFORE_0013 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0013'));
const NUMBER = '100000000000001';

describe('migration 0013 (teams)', () => {
  it('puts everything in General, keeps agents and supervisors seeing what they saw, and leaves an admin reading nothing', async () => {
    const temp = makeTempDir('sportello-teams-migration-');
    cleanups.push(() => temp.remove());
    const old = new Kysely<InboxDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(temp.dir, DATABASE_FILE)) }) });
    const agents: Record<string, number> = {};
    const conversations: number[] = [];
    try {
      expect((await new Migrator({ db: old, provider: { getMigrations: () => Promise.resolve(BEFORE_0013) } }).migrateToLatest()).error).toBeUndefined();
      for (const [username, role] of [
        ['anna', 'agent'],
        ['sara', 'supervisor'],
        ['dario', 'admin'],
      ] as const) {
        // Before 0013 an agent had one `role` column, which today's types no longer name.
        const row = await old
          .insertInto('agents')
          .values({ username, display_name: username, role, status: 'active', created_by: 'cli:it', created_at: 1, updated_at: 1 } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        agents[username] = row.id;
      }
      await old
        .insertInto('business_numbers')
        .values({ phone_number_id: NUMBER, display_name: 'Support', health_state: 'no_token', created_at: 1, updated_at: 1 })
        .execute();
      for (const [index, assignee] of [null, agents.anna ?? null].entries()) {
        const contact = await old
          .insertInto('contacts')
          .values(contactRow(`3934700000${index}`))
          .returning('id')
          .executeTakeFirstOrThrow();
        const conversation = await old
          .insertInto('conversations')
          .values({
            contact_id: contact.id,
            business_phone_number_id: NUMBER,
            last_inbound_at: 1,
            last_message_at: 1,
            last_message_id: null,
            assigned_agent_id: assignee,
            created_at: 1,
            updated_at: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        conversations.push(conversation.id);
      }
    } finally {
      await old.destroy();
    }

    const t = await startTestServer({ dataDir: temp.dir });
    cleanups.push(() => t.close());
    const db = t.server.database.db;
    const { teams } = await t.server.identity.teams.list();
    expect(teams.map((team) => [team.name, team.isDefault, team.conversationCount])).toEqual([['General', true, 2]]);
    const general = teams[0];
    expect(general?.members.map((member) => [member.username, member.capacity])).toEqual([['anna', 10]]);
    expect(general?.supervisors.map((supervisor) => supervisor.username)).toEqual(['sara']);
    expect(general?.numbers).toContain(NUMBER);
    const rows = await db.selectFrom('agents').select(['username', 'roles']).orderBy('id').execute();
    expect(rows.map((row) => [row.username, rolesOf(row.roles)])).toEqual([
      ['anna', ['agent']],
      ['sara', ['supervisor']],
      ['dario', ['admin']],
    ]);
    const places = await db.selectFrom('conversations').select(['assigned_agent_id', 'team_id']).orderBy('id').execute();
    for (const [username, sees] of [
      ['anna', [true, true]],
      ['sara', [true, true]],
      ['dario', [false, false]],
    ] as const) {
      const agentId = agents[username] ?? 0;
      const viewer = { agentId, roles: rolesOf(rows.find((row) => row.username === username)?.roles ?? ''), ...(await teamScopeOf(db, agentId)) };
      expect(
        places.map((place) => maySeeConversation(viewer, { assignedAgentId: place.assigned_agent_id, teamId: place.team_id })),
        username,
      ).toEqual(sees);
    }
    // A conversation moved to another team from now on is a feed event, as a change of assignee is.
    const vendite = await t.server.identity.teams.create({ name: 'Vendite' }, { name: 'cli:it', agentId: null, sourceAddress: null });
    await t.server.committer.submit((trx) =>
      trx
        .updateTable('conversations')
        .set({ team_id: vendite.id })
        .where('id', '=', conversations[0] ?? 0)
        .execute(),
    );
    await t.server.database.feedSequencer.stamp();
    const events = await db.selectFrom('events').select(['kind', 'conversation_id']).where('kind', '=', 'assignment').execute();
    expect(events).toEqual([{ kind: 'assignment', conversation_id: conversations[0] }]);
  }, 60_000);
});
