/**
 * What a member of a supervised team holds (GET /v1/supervision/teams/:id/members/:agentId/conversations,
 * and the workstation's listMemberConversations), through the need-to-know walk: asked of Anna in
 * team A, her conversation reaches team A's supervisor and nobody else (the others are refused by
 * role); asked of Carla in team B, team A's supervisor is told team B is not found, and her own
 * team's list of Carla holds nothing of team B's conversation either.
 */
import { expect } from 'vitest';
import type { MemberConversations } from '../../../common/api/supervision.js';
import { dispatchIpc } from '../../../main/ipc/ipc-dispatch.js';
import type { ApiResponse } from '../../helpers/test-device.js';
import { markersIn, theirIds } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene, Viewer } from './scene.js';
import type { IpcProbe } from './workstation.js';

// Imported by routes.ts, elsewhere.ts and workstation.ts, so it takes nothing of theirs while they load.
const elsewhereMarkersIn = (scene: NeedToKnowScene, text: string) => scene.elsewhere.markers.filter((marker) => text.includes(marker));

const held = (scene: NeedToKnowScene, viewer: Viewer, teamId: number, agentId: number): Promise<ApiResponse<MemberConversations>> =>
  scene.desk.call<MemberConversations>('GET', `/v1/supervision/teams/${teamId}/members/${agentId}/conversations`, undefined, viewer.token);

function refusedByRole(viewer: Viewer, answer: ApiResponse<unknown>, what: string): void {
  expect(viewer.roles.includes('supervisor'), `${what}: refused to a supervisor`).toBe(false);
  expect({ status: answer.status, body: answer.body }, what).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
}

/** Anna's conversations of team A: X among them, for whoever the route answers; E (resolved) is held by nobody. */
export const annasHeldConversations: RouteProbe = async (scene, viewer) => {
  const what = `${viewer.name} asking what Anna holds in team A`;
  const answer = await held(scene, viewer, scene.teamA, scene.anna.agentId);
  if (answer.status !== 200) {
    refusedByRole(viewer, answer, what);
    expect(markersIn(scene, JSON.stringify(answer.body)), what).toEqual([]);
    return false;
  }
  // The list holds what it says: Anna's, of team A, open or pending.
  for (const item of answer.body.items)
    expect([item.teamId, item.assignedAgentId, ['open', 'pending'].includes(item.state)], what).toEqual([scene.teamA, scene.anna.agentId, true]);
  expect(answer.body.total, what).toBe(answer.body.items.length);
  return answer.body.items.some((item) => theirIds(scene).includes(item.id)) || markersIn(scene, JSON.stringify(answer.body)).length > 0;
};

/** Carla's of team B: not found to team A's supervisor (her own team's list of Carla holds nothing of V), refused by role to the rest. */
export const carlasHeldConversations: RouteProbe = async (scene, viewer) => {
  const what = `${viewer.name} asking what Carla holds in team B`;
  const answer = await held(scene, viewer, scene.teamB, scene.carla.agentId);
  expect(elsewhereMarkersIn(scene, JSON.stringify(answer.body)), what).toEqual([]);
  if (answer.status === 200) return answer.body.items.some((item) => item.id === scene.elsewhere.id);
  if (!viewer.roles.includes('supervisor')) {
    refusedByRole(viewer, answer, what);
    return false;
  }
  expect({ status: answer.status, body: answer.body }, what).toMatchObject({ status: 404, body: { error: { code: 'team_not_found' } } });
  const own = await held(scene, viewer, scene.teamA, scene.carla.agentId);
  expect(own.status, `${viewer.name} asking what Carla holds in team A`).toBe(200);
  expect(own.body.items.map((item) => item.id)).not.toContain(scene.elsewhere.id);
  expect(elsewhereMarkersIn(scene, JSON.stringify(own.body))).toEqual([]);
  return false;
};

/** Bruno is no supervisor: his workstation refuses him whatever team and member he names, and asks the server nothing. */
export const memberConversationsIpc: IpcProbe = async (scene) => {
  for (const [teamId, agentId] of [
    [scene.teamA, scene.anna.agentId],
    [scene.teamA, scene.bruno.agentId],
  ] as const) {
    const result = await dispatchIpc(scene.workstation.core, 'listMemberConversations', { teamId, agentId });
    expect(result, `listMemberConversations of ${agentId}`).toMatchObject({ ok: false, code: 'forbidden_role' });
    expect(markersIn(scene, JSON.stringify(result))).toEqual([]);
  }
  return false;
};
