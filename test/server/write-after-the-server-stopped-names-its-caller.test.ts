/**
 * A write that comes after the server began to stop (a background task still finishing) once
 * reached the closed database driver, and the only trace was kysely's "driver has already been
 * destroyed", naming neither the work nor who asked for it (seen once in CI as an unhandled
 * rejection). The committer now takes no work once it is closed, before the database closes, and
 * refuses a late one with `store_closed`, made where it was submitted so its stack names the caller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function lateWrite(server: TestServer): Promise<unknown> {
  return server.server.committer.submit((trx) => trx.selectFrom('agents').select('id').execute());
}

describe('a write after the server stopped', () => {
  it('is refused by name, with its caller in the stack, and no work reaches the closed store', async () => {
    t = await startTestServer();
    const server = t;
    let ran = false;
    await server.close();
    const refusal = await server.server.committer
      .submit(async (trx) => {
        ran = true;
        return trx.selectFrom('agents').select('id').execute();
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toMatchObject({ code: 'store_closed' });
    expect(ran).toBe(false);
    const named = await lateWrite(server).catch((error: unknown) => error);
    expect(named).toBeInstanceOf(Error);
    expect((named as Error).stack).toContain('lateWrite');
    t = undefined;
  });

  it('still commits what was submitted before the stop began', async () => {
    t = await startTestServer();
    const server = t;
    const before = server.server.committer.submit((trx) => trx.selectFrom('agents').select('id').execute());
    await server.close();
    await expect(before).resolves.toBeInstanceOf(Array);
    t = undefined;
  });
});
