/**
 * The cache runs beside the main thread, not on it: a signed-in core whose cache is held busy (a
 * second connection keeps an exclusive lock on the database, so the core's search waits for it,
 * as a long search at a million messages would run) still answers a trivial call, and the search
 * finishes once the lock goes. With the database on the main thread, the waiting search held the
 * very thread every other call needs, and the test's own release of the lock, until it gave up.
 */
import { describe, expect, it } from 'vitest';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { cacheDir } from '../../main/cache/workstation-cache.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { eventually } from '../helpers/store-queries.js';
import { workstationScene } from '../helpers/workstation-under-test.js';

const scene = workstationScene();

describe('a core whose cache is busy', () => {
  it('answers a trivial call while a search waits on the cache, and the search then finishes', async () => {
    const server = await scene.server();
    const ws = scene.install(server);
    await ws.startSignedIn(server.t, 'busy.cache');
    const written = await customerWrites(server.t, customer(server.t, 0), 'Il pacco è arrivato rotto');
    await eventually(
      async () =>
        ((await ws.call('search', { query: 'pacco' })) as { hits: Array<{ conversationId: number }> }).hits.some(
          (hit) => hit.conversationId === written.conversationId,
        ) || undefined,
      10_000,
      'the message in the cache',
    );

    const other = openCacheDatabase(cacheDir(ws.platform.userDataDir), ws.cacheSecrets().keys(Date.now()).database);
    try {
      other.exec('begin exclusive');
      let searchSettled = false;
      const searching = dispatchIpc(ws.core, 'search', { query: 'pacco' }).finally(() => (searchSettled = true));
      const state = await dispatchIpc(ws.core, 'getState', {});
      expect(state).toMatchObject({ ok: true, value: { screen: 'inbox' } });
      expect(searchSettled).toBe(false);
      other.exec('commit');
      const found = await searching;
      expect(found.ok).toBe(true);
      expect((found as { value: { hits: Array<{ conversationId: number }> } }).value.hits.map((hit) => hit.conversationId)).toContain(written.conversationId);
    } finally {
      if (other.inTransaction) other.exec('rollback');
      other.close();
    }
  });
});
