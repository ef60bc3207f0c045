/**
 * Regression: the non-browser tests left `sportello-test-*` data directories (a store, a server
 * key, audit checkpoints) in the temporary directory. A test that restarted its server on the same
 * directory stopped the first by hand and started the second on a directory the second did not
 * own, so neither removed it; a server that failed half-way through its start left its directory
 * and its sandbox behind. The helpers now remove what they make: on close, across a restart
 * (`TestServer.restart`), when a start fails, and for stores (`freshStores`) even when one cannot
 * be opened. Checked in a temporary directory of this file's own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { customer, customerWrites } from '../helpers/conversations.js';
import { freshStores } from '../helpers/fresh-store.js';
import { startTestServer } from '../helpers/test-server.js';
import { TEST_STORE } from '../helpers/test-store.js';

// This file's own temporary directory (one fork per file), so other test files do not count.
const privateTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-cleanup-check-'));
process.env.TMPDIR = privateTemp;
afterAll(() => fs.rmSync(privateTemp, { recursive: true, force: true }));

const leftovers = () => fs.readdirSync(privateTemp).sort();

describe('what a test server leaves in the temporary directory', () => {
  it('is nothing once it is closed, though its data directory was there while it ran', async () => {
    expect(os.tmpdir()).toBe(privateTemp);
    const t = await startTestServer({ tls: true });
    expect(leftovers()).toEqual([path.basename(t.dataDir)]);
    // On PostgreSQL the store is the directory's database, not a file in it.
    expect(fs.readdirSync(t.dataDir)).toEqual(expect.arrayContaining(TEST_STORE === 'sqlite' ? ['server.key', 'sportello.db'] : ['server.key']));
    await t.close();
    expect(leftovers()).toEqual([]);
  });

  it('is nothing after a restart on the same directory, which keeps its data until the last close', async () => {
    const first = await startTestServer();
    const written = await customerWrites(first, customer(first, 0), 'Before the restart');
    const second = await first.restart();
    expect(second.dataDir).toBe(first.dataDir);
    expect(await second.server.database.db.selectFrom('messages').select('id').where('id', '=', written.messageId).executeTakeFirst()).toEqual({
      id: written.messageId,
    });
    // The first one's close comes too late to matter: the directory is the second's now.
    await first.close();
    expect(leftovers()).toEqual([path.basename(second.dataDir)]);
    await second.close();
    expect(leftovers()).toEqual([]);
  });

  it('is nothing when a server fails half-way through its start', async () => {
    // A server key of the wrong size is refused after the store was opened and the sandbox started.
    await expect(startTestServer({ identity: { serverKey: Buffer.alloc(5) } })).rejects.toMatchObject({ code: 'server_key_invalid' });
    expect(leftovers()).toEqual([]);
  });
});

describe('what a fresh store leaves in the temporary directory', () => {
  const store = freshStores();

  it('is its directory while the test runs', async () => {
    const opened = await store();
    expect(leftovers()).toHaveLength(1);
    if (opened.dialect === 'sqlite') expect(fs.existsSync(opened.file)).toBe(true);
    else expect((await sql<{ one: number }>`select 1 as one`.execute(opened.db)).rows).toEqual([{ one: 1 }]);
  });

  it('is nothing after that test (the store is closed and removed after each)', () => {
    expect(leftovers()).toEqual([]);
  });
});
