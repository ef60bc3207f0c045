import { defineConfig } from 'vitest/config';
import { POSTGRES_ONLY, POSTGRES_SUITES, SQLITE_ONLY } from './test/store-suites.js';

export default defineConfig({
  test: {
    // Server tests open real SQLite files and listening ports: one fork per file keeps them apart.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [...POSTGRES_ONLY] } },
      {
        // The store-touching suites again, each test server on a fresh PostgreSQL database (test/store-suites.ts).
        extends: true,
        test: {
          name: 'postgres',
          include: [...POSTGRES_SUITES, ...POSTGRES_ONLY],
          exclude: Object.keys(SQLITE_ONLY),
          env: { SPORTELLO_TEST_STORE: 'postgres' },
          globalSetup: ['test/helpers/postgres-global-setup.ts'],
          setupFiles: ['test/helpers/postgres-setup.ts'],
        },
      },
    ],
  },
});
