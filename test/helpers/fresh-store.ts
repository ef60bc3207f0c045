/**
 * A store of its own for each test: opened on a fresh temp directory (and its own database on
 * PostgreSQL), closed and removed after the test. Call once at the top of a test file.
 */
import type { Insertable } from 'kysely';
import { afterEach } from 'vitest';
import { openDatabase } from '../../server/store/open-database.js';
import type { OpenedDatabase } from '../../server/store/open-database.js';
import type { ContactsTable } from '../../server/store/schema.js';
import { makeTempDir } from './temp-dir.js';
import { testDatabaseUrl } from './test-store.js';

export function freshStores(): () => Promise<OpenedDatabase> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  return async () => {
    const temp = makeTempDir();
    // Removed after the test even when the store cannot be opened.
    const opened: { store?: OpenedDatabase } = {};
    cleanups.push(async () => {
      try {
        await opened.store?.close();
      } finally {
        temp.remove();
      }
    });
    opened.store = await openDatabase(temp.dir, await testDatabaseUrl(temp.dir));
    return opened.store;
  };
}

/** A contact row known only by its number. */
export function contactRow(waId: string): Insertable<ContactsTable> {
  return {
    wa_id: waId,
    user_id: null,
    parent_user_id: null,
    profile_name: null,
    username: null,
    marketing_preference: null,
    marketing_preference_at: null,
    created_at: 1,
    updated_at: 1,
  };
}
