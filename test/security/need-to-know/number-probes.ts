/**
 * The reveal of a customer's number asked of one conversation (Anna's X, or team B's V) by every
 * viewer. Whoever may see it gets the number (or, for a customer who has none, the refusal that
 * says so) and leaves one audit row of the reveal; whoever may not gets "not found", exactly as
 * for a missing conversation, holding nothing of it, and no reveal is recorded.
 */
import { expect } from 'vitest';
import { expectNotFound } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene } from './scene.js';

interface Target {
  readonly id: (scene: NeedToKnowScene) => number;
  readonly markersIn: (scene: NeedToKnowScene, text: string) => string[];
}

const reveals = async (scene: NeedToKnowScene) =>
  (await scene.t.server.database.db.selectFrom('audit_log').select('id').where('event', '=', 'safety.masked_numbers.revealed').execute()).length;

export function numberProbes(target: Target): Record<string, RouteProbe> {
  return {
    'POST /v1/conversations/:id/number/reveal': async (scene, viewer) => {
      const id = target.id(scene);
      const before = await reveals(scene);
      const answer = await scene.desk.call('POST', `/v1/conversations/${id}/number/reveal`, { reason: 'Prova di sicurezza' }, viewer.token);
      const code = (answer.body as { error?: { code?: string } }).error?.code;
      if (answer.status === 200 || code === 'customer_number_unknown') {
        expect(await reveals(scene), `${viewer.name} revealing its number: audited`).toBe(before + (answer.status === 200 ? 1 : 0));
        return true;
      }
      expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} revealing its number`);
      expect(target.markersIn(scene, JSON.stringify(answer.body))).toEqual([]);
      expect(await reveals(scene), `${viewer.name} revealing its number: nothing recorded`).toBe(before);
      return false;
    },
  };
}
