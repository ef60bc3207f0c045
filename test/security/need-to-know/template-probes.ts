/**
 * Templates on the need-to-know paths (docs/templates.md). A conversation's template list tells
 * whether its customer stopped marketing and what language they write in: whoever may see the
 * conversation gets it, whoever may not gets "not found", exactly as for a missing conversation.
 * A template's change (`template_changed`) carries no customer data, and goes only to those who
 * may use its account's numbers (common/templates/template-access.ts): `templateChangeReaches`
 * tells who heard one.
 */
import { expect } from 'vitest';
import type { ConversationTemplates } from '../../../common/api/template-endpoints.js';
import { expectNotFound } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene, Viewer } from './scene.js';

interface Target {
  readonly id: (scene: NeedToKnowScene) => number;
  readonly markersIn: (scene: NeedToKnowScene, text: string) => string[];
}

export function templateProbes(target: Target): Record<string, RouteProbe> {
  return {
    'GET /v1/conversations/:id/templates': async (scene, viewer) => {
      const id = target.id(scene);
      const answer = await scene.desk.call<ConversationTemplates>('GET', `/v1/conversations/${id}/templates`, undefined, viewer.token);
      if (answer.status === 200) {
        expect(answer.body.conversationId).toBe(id);
        expect(answer.body.templates.length, `${viewer.name} listing its templates`).toBeGreaterThan(0);
        return true;
      }
      expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} listing its templates`);
      expect(target.markersIn(scene, JSON.stringify(answer.body))).toEqual([]);
      return false;
    },
  };
}

/** Meta disables a synced template: the viewers whose sockets were told, once those the rule names have heard it. */
export async function templateChangeReaches(scene: NeedToKnowScene, expected: readonly Viewer[]): Promise<string[]> {
  const sockets = await Promise.all(scene.viewers.map(async (viewer) => ({ viewer, socket: await scene.socket(viewer) })));
  const template = await scene.t.server.database.db
    .selectFrom('message_templates')
    .select('id')
    .where('name', '=', 'loyalty_points')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  // Meta's review disables it: the stand-in sends the status webhook as Meta would, signed.
  await scene.t.sandbox.graph.setTemplateStatus(template.id, 'DISABLED');
  const heard = (entry: (typeof sockets)[number]) =>
    entry.socket.events.some((event) => event.type === 'template_changed' && event.template.id === template.id);
  const names = new Set(expected.map((viewer) => viewer.name));
  await expect.poll(() => sockets.filter((entry) => names.has(entry.viewer.name)).every(heard)).toBe(true);
  return sockets.filter(heard).map((entry) => entry.viewer.name);
}
