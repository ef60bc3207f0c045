/**
 * The test files that open the store, in one place: the `postgres` vitest project
 * (vitest.config.ts) runs each of them a second time on PostgreSQL, except those named in
 * SQLITE_ONLY with the reason. test/architecture/store-suites-are-complete.test.ts fails when a
 * test file that reaches server/store/open-database.ts is in neither list.
 */

/** Every file under test/ matching one of these runs on both stores. */
export const POSTGRES_SUITES: readonly string[] = [
  'test/admin-cli/*.test.ts',
  'test/backup/*.test.ts',
  'test/approval-page/approval-page.test.ts',
  'test/cache/hidden-conversation-never-comes-back.test.ts',
  'test/identity/*.test.ts',
  'test/main/*.test.ts',
  'test/security/*.test.ts',
  'test/server/*.test.ts',
  'test/store/*.test.ts',
];

/** Files that only the `postgres` project runs: what needs several connections writing at once (two servers on one store). */
export const POSTGRES_ONLY: readonly string[] = ['test/**/*.postgres.test.ts'];

/** Files that reach the store but run on SQLite only, and why. */
export const SQLITE_ONLY: Readonly<Record<string, string>> = {
  'test/**/*.browser.test.ts':
    'the renderer in Chromium, over the same server routes the server, main and security suites already run on PostgreSQL; twice would double the slowest part of the suite',
  'test/server/prepared-query.test.ts': "watches the statements SQLite's own driver receives",
  'test/server/media-ownership-migration.test.ts': 'migrates a SQLite file written before migration 0005; a PostgreSQL store starts at the current schema',
  'test/server/business-numbers-migration.test.ts': 'migrates a SQLite file written before migration 0012; a PostgreSQL store starts at the current schema',
  'test/server/analytics-migration-backfills-what-the-triggers-keep.test.ts':
    'migrates a SQLite file written before migration 0035; a PostgreSQL store starts at the current schema',
  'test/server/conversation-lifecycle-migration.test.ts':
    'rebuilds a SQLite file written before migration 0016 (SQLite cannot drop a table constraint); PostgreSQL drops it by name, and both stores end with the same tables (both-stores-migrate-to-the-same-tables)',
  'test/server/scheduled-send-key-migration.test.ts': 'migrates a SQLite file written before migration 0035; a PostgreSQL store starts at the current schema',
  'test/server/teams-migration.test.ts': 'migrates a SQLite file written before migration 0013; a PostgreSQL store starts at the current schema',
  'test/security/audit-chain-is-keyed.test.ts': 'rewrites a SQLite file as an older version left it, before the chain was keyed',
  'test/server/config.test.ts': 'opens no store (it reaches open-database.ts only for the file name)',
  'test/e2e/screens-only-names-what-it-captures.test.ts':
    "opens no store: it checks SCREENS_ONLY's names, and reaches open-database.ts only through the screens' imports",
};
