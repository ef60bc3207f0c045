/**
 * The block routes asked of one conversation (Anna's X, or team B's V) by every viewer. Whoever
 * may see it gets an answer about it (a block, undone at once; an unblock refused because they do
 * not supervise its team, or because its customer is not blocked); whoever may not gets "not
 * found", exactly as for a missing conversation, holding nothing of it, and nothing of it
 * changes: not its row, not the blocks, not WhatsApp's block list.
 */
import { expect } from 'vitest';
import { expectNotFound } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene, Viewer } from './scene.js';

interface Target {
  readonly id: (scene: NeedToKnowScene) => number;
  readonly markersIn: (scene: NeedToKnowScene, text: string) => string[];
}

async function snapshot(scene: NeedToKnowScene, id: number) {
  const { db } = scene.t.server.database;
  const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return {
    row,
    blocks: await db.selectFrom('customer_blocks').selectAll().where('contact_id', '=', row.contact_id).execute(),
    onWhatsApp: scene.t.sandbox.graph.blocks.blockedBy(row.business_phone_number_id),
  };
}

/** Takes back a block the viewer made: by their own unblock when they supervise its team, else as the store's and WhatsApp's cleanup. */
export async function undoBlock(scene: NeedToKnowScene, viewer: Viewer, id: number): Promise<void> {
  const unblocked = await scene.desk.call('POST', `/v1/conversations/${id}/unblock`, {}, viewer.token);
  if (unblocked.status === 200) return;
  expect(unblocked.body, `${viewer.name} unblocking what they blocked`).toMatchObject({ error: { code: 'unblock_not_permitted' } });
  const { db } = scene.t.server.database;
  const row = await db.selectFrom('conversations').select(['contact_id', 'business_phone_number_id']).where('id', '=', id).executeTakeFirstOrThrow();
  const contact = await db.selectFrom('contacts').select('wa_id').where('id', '=', row.contact_id).executeTakeFirstOrThrow();
  await scene.t.server.committer.submit((trx) =>
    trx.deleteFrom('customer_blocks').where('contact_id', '=', row.contact_id).where('business_phone_number_id', '=', row.business_phone_number_id).execute(),
  );
  if (contact.wa_id !== null) scene.t.sandbox.graph.blocks.remove(row.business_phone_number_id, contact.wa_id);
}

type Ask = (scene: NeedToKnowScene, viewer: Viewer, id: number) => Promise<{ status: number; body: unknown }>;

const probe =
  (target: Target, what: string, ask: Ask, undo?: (scene: NeedToKnowScene, viewer: Viewer, id: number) => Promise<void>): RouteProbe =>
  async (scene, viewer) => {
    const id = target.id(scene);
    const before = await snapshot(scene, id);
    const answer = await ask(scene, viewer, id);
    const code = (answer.body as { error?: { code?: string } }).error?.code;
    if (answer.status < 400 || (answer.status !== 404 && code !== 'forbidden_role')) {
      if (answer.status < 400 && undo !== undefined) await undo(scene, viewer, id);
      expect((await snapshot(scene, id)).blocks, `${viewer.name} ${what}: nothing left blocked`).toEqual(before.blocks);
      return true;
    }
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} ${what}`);
    expect(target.markersIn(scene, JSON.stringify(answer.body)), what).toEqual([]);
    expect(await snapshot(scene, id), `${viewer.name} ${what}: nothing changed`).toEqual(before);
    return false;
  };

export function blockProbes(target: Target): Record<string, RouteProbe> {
  return {
    'POST /v1/conversations/:id/block': probe(
      target,
      'blocking its customer',
      (scene, viewer, id) => scene.desk.call('POST', `/v1/conversations/${id}/block`, { reason: 'Prova di sicurezza' }, viewer.token),
      undoBlock,
    ),
    'POST /v1/conversations/:id/unblock': probe(target, 'unblocking its customer', (scene, viewer, id) =>
      scene.desk.call('POST', `/v1/conversations/${id}/unblock`, {}, viewer.token),
    ),
  };
}
