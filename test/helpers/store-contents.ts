/**
 * Whether text is anywhere in a test server's store, as someone holding a copy would look: on
 * SQLite, the bytes of the database file and its journals; on PostgreSQL, every row of every
 * table in the database (what pg_dump would write).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { DATABASE_FILE } from '../../server/store/open-database.js';
import type { TestServer } from './test-server.js';
import { TEST_STORE } from './test-store.js';

export async function storeContents(t: TestServer): Promise<Buffer> {
  if (TEST_STORE === 'sqlite') {
    const files = fs.readdirSync(t.dataDir).filter((name) => name.startsWith(DATABASE_FILE));
    return Buffer.concat(files.map((name) => fs.readFileSync(path.join(t.dataDir, name))));
  }
  const db = t.server.database.db;
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(db);
  const rows: string[] = [];
  for (const { table_name } of tables.rows) rows.push(JSON.stringify((await sql`select * from ${sql.table(table_name)}`.execute(db)).rows));
  return Buffer.from(rows.join('\n'));
}
