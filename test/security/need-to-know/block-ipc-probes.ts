/**
 * Bruno's workstation's block calls: asked of X and of E, refused as not found with nothing of
 * hers; asked of his own conversation, the block gets past the rule (and is taken back at once),
 * the unblock is refused for his role, not for the rule. The reveal of a customer's number is
 * the same: refused of X and E, answered (and audited) for his own.
 */
import { expect } from 'vitest';
import type { IpcCallName } from '../../../common/ipc/contract.js';
import { undoBlock } from './block-probes.js';
import { markersIn, theirIds } from './routes.js';
import type { NeedToKnowScene } from './scene.js';
import { ipcCall } from './workstation.js';
import type { IpcProbe } from './workstation.js';

const ask = (scene: NeedToKnowScene, name: IpcCallName, request: unknown) => ipcCall(scene.workstation, name, request);

const probe =
  (
    name: 'blockCustomer' | 'unblockCustomer' | 'revealCustomerNumber',
    request: (conversationId: number) => unknown,
    own: (scene: NeedToKnowScene) => Promise<void>,
  ): IpcProbe =>
  async (scene) => {
    let reached = false;
    for (const conversationId of theirIds(scene)) {
      const result = await ask(scene, name, request(conversationId));
      if (result.ok) reached = true;
      else {
        expect(result, `${name} of ${conversationId}`).toMatchObject({ ok: false, code: 'conversation_not_found' });
        expect(markersIn(scene, JSON.stringify(result))).toEqual([]);
      }
    }
    await own(scene);
    return reached;
  };

export const blockCustomerIpc = probe(
  'blockCustomer',
  (conversationId) => ({ conversationId, reason: 'Prova di sicurezza' }),
  async (scene) => {
    expect((await ask(scene, 'blockCustomer', { conversationId: scene.brunos.id, reason: 'Prova di sicurezza' })).ok, 'blockCustomer of his own').toBe(true);
    await undoBlock(scene, scene.bruno, scene.brunos.id);
  },
);

export const unblockCustomerIpc = probe(
  'unblockCustomer',
  (conversationId) => ({ conversationId }),
  async (scene) => {
    expect(await ask(scene, 'unblockCustomer', { conversationId: scene.brunos.id }), 'unblockCustomer of his own').toMatchObject({
      ok: false,
      code: 'unblock_not_permitted',
    });
  },
);

export const revealCustomerNumberIpc = probe(
  'revealCustomerNumber',
  (conversationId) => ({ conversationId, reason: 'Prova di sicurezza' }),
  async (scene) => {
    const own = await ask(scene, 'revealCustomerNumber', { conversationId: scene.brunos.id, reason: 'Prova di sicurezza' });
    expect(own.ok || (own as { code?: string }).code === 'customer_number_unknown', `revealCustomerNumber of his own: ${JSON.stringify(own)}`).toBe(true);
  },
);
