/**
 * Bruno's workstation's payment-link calls: asked of X and of E, refused as not found with nothing
 * of hers, and no request recorded; asked of his own conversation, the request gets past the rule
 * (sent, or refused only because no provider is set yet) and its list answers.
 */
import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { IpcCallName } from '../../../common/ipc/contract.js';
import { markersIn, theirIds } from './routes.js';
import type { NeedToKnowScene } from './scene.js';
import { ipcCall } from './workstation.js';
import type { IpcProbe } from './workstation.js';

const ask = (scene: NeedToKnowScene, name: IpcCallName, request: unknown) => ipcCall(scene.workstation, name, request);
const paymentOf = (conversationId: number) => ({
  conversationId,
  amount: 2000,
  currency: 'EUR',
  description: 'Prova di pagamento',
  idempotencyKey: crypto.randomUUID(),
});
const requestsOf = async (scene: NeedToKnowScene) =>
  scene.t.server.database.db.selectFrom('payment_requests').selectAll().where('conversation_id', 'in', theirIds(scene)).execute();

const probe =
  (name: 'requestPayment' | 'listPaymentRequests', request: (conversationId: number) => unknown, own: (scene: NeedToKnowScene) => Promise<void>): IpcProbe =>
  async (scene) => {
    const before = await requestsOf(scene);
    let reached = false;
    for (const conversationId of theirIds(scene)) {
      const result = await ask(scene, name, request(conversationId));
      if (result.ok) reached = true;
      else {
        expect(result, `${name} of ${conversationId}`).toMatchObject({ ok: false, code: 'conversation_not_found' });
        expect(markersIn(scene, JSON.stringify(result))).toEqual([]);
      }
    }
    if (!reached) expect(await requestsOf(scene), `${name}: nothing recorded in hers`).toEqual(before);
    await own(scene);
    return reached;
  };

export const requestPaymentIpc = probe('requestPayment', paymentOf, async (scene) => {
  const result = await ask(scene, 'requestPayment', paymentOf(scene.brunos.id));
  if (!result.ok) expect(result, 'requestPayment in his own').toMatchObject({ code: 'payment_provider_not_configured' });
});

export const listPaymentRequestsIpc = probe(
  'listPaymentRequests',
  (conversationId) => ({ conversationId }),
  async (scene) => {
    expect((await ask(scene, 'listPaymentRequests', { conversationId: scene.brunos.id })).ok, 'listPaymentRequests of his own').toBe(true);
  },
);
