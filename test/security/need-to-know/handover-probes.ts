/**
 * The hand-over routes asked of one conversation (Anna's X, or team B's V) by every viewer. Whoever
 * may see it gets an answer about it (a refusal that it is already there, that they may not hand
 * it over, a list of whom to transfer to; a claim that succeeds is undone); whoever may not gets
 * "not found", exactly as for a missing conversation, holding nothing of it, and nothing of it
 * changes: not its row, not its history, not its notes.
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
  const count = async (table: 'conversation_history' | 'notes') => (await db.selectFrom(table).select('id').where('conversation_id', '=', id).execute()).length;
  return {
    row: await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    history: await count('conversation_history'),
    notes: await count('notes'),
  };
}

type Ask = (scene: NeedToKnowScene, viewer: Viewer, id: number) => Promise<{ status: number; body: unknown }>;

/** Asks; when refused as not found, checks the refusal and that nothing changed. `undo` puts back what a success changed. */
const probe =
  (target: Target, what: string, ask: Ask, undo?: Ask): RouteProbe =>
  async (scene, viewer) => {
    const id = target.id(scene);
    const before = await snapshot(scene, id);
    const answer = await ask(scene, viewer, id);
    const code = (answer.body as { error?: { code?: string } }).error?.code;
    if (answer.status < 400 || (answer.status !== 404 && code !== 'forbidden_role')) {
      if (answer.status < 400 && undo !== undefined) expect((await undo(scene, viewer, id)).status, `${viewer.name} undoing ${what}`).toBe(200);
      return true;
    }
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} ${what}`);
    expect(target.markersIn(scene, JSON.stringify(answer.body)), what).toEqual([]);
    expect(await snapshot(scene, id), `${viewer.name} ${what}: nothing changed`).toEqual(before);
    return false;
  };

const post =
  (tail: string, body: (scene: NeedToKnowScene, viewer: Viewer) => unknown): Ask =>
  (scene, viewer, id) =>
    scene.desk.call('POST', `/v1/conversations/${id}${tail}`, body(scene, viewer), viewer.token);

/** The supervisors' bulk reassignment: refused by role to others; to a supervisor of another team, "not found" as a missing id. */
const bulkReassign =
  (target: Target): RouteProbe =>
  async (scene, viewer) => {
    const id = target.id(scene);
    const before = await snapshot(scene, id);
    const { assigned_agent_id: assignee, team_id: teamId } = before.row;
    const answer = await scene.desk.call(
      'POST',
      '/v1/conversations/reassign',
      { conversationIds: [id], ...(assignee === null ? { teamId: teamId ?? undefined } : { agentId: assignee }) },
      viewer.token,
    );
    if (answer.status === 200) {
      // Sent where it already was: reached, and left as it was.
      expect(answer.body).toEqual({ moved: [], unchanged: [id] });
      return true;
    }
    if (answer.status === 403) expect(answer.body, viewer.name).toMatchObject({ error: { code: 'forbidden_role' } });
    else {
      const missing = await scene.desk.call('POST', '/v1/conversations/reassign', { conversationIds: [999_999], teamId: scene.teamA }, viewer.token);
      expect(answer.status, viewer.name).toBe(404);
      expect(answer.body, viewer.name).toMatchObject({ error: { code: 'bulk_reassign_not_found', details: { conversationIds: [id] } } });
      expect(missing.body).toMatchObject({ error: { code: 'bulk_reassign_not_found', details: { conversationIds: [999_999] } } });
    }
    expect(target.markersIn(scene, JSON.stringify(answer.body))).toEqual([]);
    expect(await snapshot(scene, id)).toEqual(before);
    return false;
  };

/** Asks with each body in turn; once one is refused as not found, every other must be refused alike. */
const eachAlike =
  (tail: string, bodies: (scene: NeedToKnowScene, viewer: Viewer) => readonly unknown[]): Ask =>
  async (scene, viewer, id) => {
    const [first, ...others] = bodies(scene, viewer);
    const answer = await post(tail, () => first)(scene, viewer, id);
    if (answer.status !== 404) return answer;
    for (const body of others) {
      const again = await post(tail, () => body)(scene, viewer, id);
      expect({ status: again.status, body: again.body }, `${viewer.name} ${tail} ${JSON.stringify(body)}`).toEqual({
        status: answer.status,
        body: answer.body,
      });
    }
    return answer;
  };

/** Keyed like ROUTES. */
export function handoverProbes(target: Target): Readonly<Record<string, RouteProbe>> {
  return {
    // First to Anna (X is hers already: nothing would move); then, refused, every other kind of transfer is refused alike.
    'POST /v1/conversations/:id/transfer': probe(
      target,
      'transferring it',
      eachAlike('/transfer', (scene, viewer) => [
        { agentId: scene.anna.agentId },
        { teamId: scene.teamA, note: 'Ci pensi tu?' },
        { agentId: viewer.agentId },
        { agentId: scene.bruno.agentId, teamId: scene.teamA },
      ]),
    ),
    'POST /v1/conversations/:id/claim': probe(
      target,
      'claiming it',
      post('/claim', () => ({})),
      post('/unassign', (_scene, viewer) => ({ fromAgentId: viewer.agentId })),
    ),
    // From someone it is not with (those who may see it are told it moved), then from Anna, X's assignee: refused alike.
    'POST /v1/conversations/:id/unassign': probe(
      target,
      'unassigning it',
      eachAlike('/unassign', (scene, viewer) => [
        { fromAgentId: viewer.agentId === scene.bruno.agentId ? scene.carla.agentId : scene.bruno.agentId },
        { fromAgentId: scene.anna.agentId },
      ]),
    ),
    'POST /v1/conversations/reassign': bulkReassign(target),
    'GET /v1/conversations/:id/transfer-targets': probe(target, 'asking whom to transfer it to', (scene, viewer, id) =>
      scene.desk.call('GET', `/v1/conversations/${id}/transfer-targets`, undefined, viewer.token),
    ),
  };
}
