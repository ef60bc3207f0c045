/**
 * Labels on a conversation, and the quick replies and labels of each team, through the need-to-know
 * walk: putting a label on a conversation or taking one off answers only to who may see it
 * ("not found" to the rest, nothing changed); a team's quick replies and labels reach nobody
 * outside it.
 */
import { expect } from 'vitest';
import { dispatchIpc } from '../../../main/ipc/ipc-dispatch.js';
import { expectNotFound } from './routes.js';
import type { RouteProbe } from './routes.js';
import type { NeedToKnowScene, Viewer } from './scene.js';

/** A global label, made once: whoever may see a conversation may put it on. */
async function globalLabel(scene: NeedToKnowScene): Promise<number> {
  const { db } = scene.t.server.database;
  const existing = await db.selectFrom('labels').select('id').where('name_key', '=', 'richiamare').executeTakeFirst();
  if (existing !== undefined) return existing.id;
  const row = await db
    .insertInto('labels')
    .values({ team_id: null, scope_key: 0, name: 'Richiamare', name_key: 'richiamare', color: 'teal', created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const labelsOf = (scene: NeedToKnowScene, conversationId: number) =>
  scene.t.server.database.db
    .selectFrom('conversation_labels')
    .select(['label_id', 'added_at'])
    .where('conversation_id', '=', conversationId)
    .orderBy('label_id')
    .execute();

type Refusal = (scene: NeedToKnowScene, viewer: Viewer, response: { status: number; body: unknown }, what: string) => void;
const notFound: Refusal = (scene, viewer, response, what) => expectNotFound(scene, viewer, response, 'conversation_not_found', what);

/** Puts the global label on the conversation (and takes it off again): refused to who may not see it, nothing changed. */
export const addLabelProbe =
  (conversationOf: (scene: NeedToKnowScene) => number, refused: Refusal = notFound): RouteProbe =>
  async (scene, viewer) => {
    const conversationId = conversationOf(scene);
    const label = await globalLabel(scene);
    const before = await labelsOf(scene, conversationId);
    const answer = await scene.desk.call('POST', `/v1/conversations/${conversationId}/labels`, { labelId: label }, viewer.token);
    if (answer.status === 200) {
      await scene.desk.call('DELETE', `/v1/conversations/${conversationId}/labels/${label}`, undefined, viewer.token);
      return true;
    }
    refused(scene, viewer, answer, `${viewer.name} putting a label on conversation ${conversationId}`);
    expect(await labelsOf(scene, conversationId)).toEqual(before);
    return false;
  };

/** Takes the global label off the conversation (which carries it for the probe, and again after): refused to who may not see it, nothing changed. */
export const removeLabelProbe =
  (conversationOf: (scene: NeedToKnowScene) => number, refused: Refusal = notFound): RouteProbe =>
  async (scene, viewer) => {
    const conversationId = conversationOf(scene);
    const label = await globalLabel(scene);
    const { db } = scene.t.server.database;
    const putOn = () =>
      db
        .insertInto('conversation_labels')
        .values({ conversation_id: conversationId, label_id: label, added_by_agent_id: null, added_at: 1 })
        .onConflict((conflict) => conflict.columns(['conversation_id', 'label_id']).doNothing())
        .execute();
    await putOn();
    const before = await labelsOf(scene, conversationId);
    const answer = await scene.desk.call('DELETE', `/v1/conversations/${conversationId}/labels/${label}`, undefined, viewer.token);
    const reached = answer.status === 200;
    if (!reached) {
      refused(scene, viewer, answer, `${viewer.name} taking a label off conversation ${conversationId}`);
      expect(await labelsOf(scene, conversationId)).toEqual(before);
    }
    await db.deleteFrom('conversation_labels').where('conversation_id', '=', conversationId).where('label_id', '=', label).execute();
    return reached;
  };

/** Team B's own quick reply and label, with words nobody of team A may read. */
export const TEAM_B_WORDS = { shortcut: 'preventivob', text: 'testoriservatob', label: 'etichettab' } as const;

export async function teamBRepliesAndLabels(scene: NeedToKnowScene): Promise<void> {
  const { db } = scene.t.server.database;
  await db
    .insertInto('quick_replies')
    .values({
      team_id: scene.teamB,
      scope_key: scene.teamB,
      shortcut: TEAM_B_WORDS.shortcut,
      text_en: null,
      text_it: TEAM_B_WORDS.text,
      created_at: 1,
      updated_at: 1,
    })
    .execute();
  await db
    .insertInto('labels')
    .values({
      team_id: scene.teamB,
      scope_key: scene.teamB,
      name: TEAM_B_WORDS.label,
      name_key: TEAM_B_WORDS.label,
      color: 'green',
      created_at: 1,
      updated_at: 1,
    })
    .execute();
}

/** The routes that list quick replies and labels, and whether the viewer's answer held any of team B's words. */
export async function teamBWordsReaching(scene: NeedToKnowScene, viewer: Viewer): Promise<Record<string, boolean>> {
  const reached: Record<string, boolean> = {};
  for (const path of ['/v1/quick-replies', '/v1/labels', '/v1/manage/quick-replies', '/v1/manage/labels']) {
    const answer = await scene.desk.call('GET', path, undefined, viewer.token);
    expect([200, 403], `${viewer.name} ${path}`).toContain(answer.status);
    const text = JSON.stringify(answer.body);
    reached[path] = Object.values(TEAM_B_WORDS).some((word) => text.includes(word));
  }
  return reached;
}

/** Bruno's workstation putting the global label on the conversation: refused ("not found") unless he may see it, holding none of its text. */
export const setConversationLabelIpc =
  (conversationOf: (scene: NeedToKnowScene) => number, markers: (scene: NeedToKnowScene, text: string) => string[]) =>
  async (scene: NeedToKnowScene): Promise<boolean> => {
    const conversationId = conversationOf(scene);
    const labelId = await globalLabel(scene);
    const before = await labelsOf(scene, conversationId);
    const result = await dispatchIpc(scene.workstation.core, 'setConversationLabel', { conversationId, labelId, on: true });
    if (result.ok) {
      await dispatchIpc(scene.workstation.core, 'setConversationLabel', { conversationId, labelId, on: false });
      return true;
    }
    expect(result, `setConversationLabel of ${conversationId}`).toMatchObject({ ok: false, code: 'conversation_not_found' });
    expect(markers(scene, JSON.stringify(result))).toEqual([]);
    expect(await labelsOf(scene, conversationId)).toEqual(before);
    // His own conversation takes it (and gives it back): the refusal was about this one.
    const own = await dispatchIpc(scene.workstation.core, 'setConversationLabel', { conversationId: scene.brunos.id, labelId, on: true });
    expect(own.ok, JSON.stringify(own)).toBe(true);
    expect((await dispatchIpc(scene.workstation.core, 'setConversationLabel', { conversationId: scene.brunos.id, labelId, on: false })).ok).toBe(true);
    return false;
  };
