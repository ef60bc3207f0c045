/**
 * The payment-link routes asked of one conversation (Anna's X, or team B's V) by every viewer,
 * with a fixed payment page set so a request can go through. Whoever may see the conversation
 * gets its payment requests, and a request of theirs is sent in it; whoever may not gets "not
 * found", exactly as for a missing conversation, holding nothing of it, and nothing changes: no
 * request recorded, no message, no history line, no call to a provider.
 */
import crypto from 'node:crypto';
import { expect } from 'vitest';
import { expectNotFound } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene } from './scene.js';

interface Target {
  readonly id: (scene: NeedToKnowScene) => number;
  readonly markersIn: (scene: NeedToKnowScene, text: string) => string[];
}

async function snapshot(scene: NeedToKnowScene, id: number) {
  const { db } = scene.t.server.database;
  return {
    requests: await db.selectFrom('payment_requests').selectAll().where('conversation_id', '=', id).execute(),
    messages: (await db.selectFrom('messages').select('id').where('conversation_id', '=', id).execute()).length,
    history: (await db.selectFrom('conversation_history').select('id').where('conversation_id', '=', id).execute()).length,
    stripeCalls: scene.t.sandbox.stripe.calls.length,
  };
}

/** A fixed page as the provider (as an admin would set it), so a request that got through would show. */
async function withFixedPage(scene: NeedToKnowScene): Promise<void> {
  const values = { kind: 'fixed_url' as const, stripe_key_sealed: null, fixed_url: 'https://paypal.me/needtoknow', changed_by: 'test', changed_at: Date.now() };
  await scene.t.server.committer.submit((trx) =>
    trx
      .insertInto('payment_provider')
      .values({ id: 1, ...values })
      .onConflict((conflict) => conflict.column('id').doUpdateSet(values))
      .execute(),
  );
}

export function paymentProbes(target: Target): Record<string, RouteProbe> {
  const request: RouteProbe = async (scene, viewer) => {
    await withFixedPage(scene);
    const id = target.id(scene);
    const before = await snapshot(scene, id);
    const body = { conversationId: id, amount: 1500, currency: 'EUR', description: 'Prova di pagamento', idempotencyKey: crypto.randomUUID() };
    const answer = await scene.desk.call('POST', '/v1/payment-requests', body, viewer.token);
    if (answer.status === 201) return true;
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} requesting a payment in it`);
    expect(target.markersIn(scene, JSON.stringify(answer.body))).toEqual([]);
    expect(await snapshot(scene, id), `${viewer.name} requesting a payment: nothing changed`).toEqual(before);
    return false;
  };
  const list: RouteProbe = async (scene, viewer) => {
    const id = target.id(scene);
    const answer = await scene.desk.call('GET', `/v1/conversations/${id}/payment-requests`, undefined, viewer.token);
    if (answer.status === 200) return true;
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} listing its payment requests`);
    expect(target.markersIn(scene, JSON.stringify(answer.body))).toEqual([]);
    return false;
  };
  return { 'POST /v1/payment-requests': request, 'GET /v1/conversations/:id/payment-requests': list };
}
