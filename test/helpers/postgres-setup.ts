/** Each file of the `postgres` test project: the cluster's URL from the global setup, and its databases dropped at the end. */
import { afterAll, inject } from 'vitest';
import { dropTestDatabases } from './test-store.js';

process.env.SPORTELLO_TEST_DATABASE_URL = inject('databaseUrl');

afterAll(async () => {
  await dropTestDatabases();
});
