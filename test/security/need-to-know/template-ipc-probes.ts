/**
 * Bruno's workstation's template calls: a conversation's templates, asked of X and of E, are
 * refused as not found with nothing of hers (not even whether her customer stopped marketing);
 * asked of his own conversation, they answer.
 */
import { expect } from 'vitest';
import { markersIn, theirIds } from './routes.js';
import { ipcCall } from './workstation.js';
import type { IpcProbe } from './workstation.js';

export const listConversationTemplatesIpc: IpcProbe = async (scene) => {
  let reached = false;
  for (const conversationId of theirIds(scene)) {
    const result = await ipcCall(scene.workstation, 'listConversationTemplates', { conversationId });
    if (result.ok) reached = true;
    else {
      expect(result, `listConversationTemplates of ${conversationId}`).toMatchObject({ ok: false, code: 'conversation_not_found' });
      expect(markersIn(scene, JSON.stringify(result))).toEqual([]);
    }
  }
  const own = await ipcCall(scene.workstation, 'listConversationTemplates', { conversationId: scene.brunos.id });
  expect(own.ok, 'listConversationTemplates of his own').toBe(true);
  return reached;
};
