/**
 * The personal-data routes asked of one conversation (Anna's X, or team B's V) by every viewer.
 * Whoever may see it gets what was asked of its customer and why, or, recording a consent, the
 * answer that the customer was never asked about promotions; whoever may not gets "not found",
 * exactly as for a missing conversation, holding nothing of it, and nothing of it changes.
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
    requests: await db.selectFrom('personal_data_requests').selectAll().where('contact_id', '=', row.contact_id).execute(),
    consents: await db.selectFrom('personal_data_consents').selectAll().where('contact_id', '=', row.contact_id).execute(),
  };
}

type Ask = (scene: NeedToKnowScene, viewer: Viewer, id: number) => Promise<{ status: number; body: unknown }>;

const probe =
  (target: Target, what: string, ask: Ask, reachedWith: (answer: { status: number; body: unknown }) => boolean): RouteProbe =>
  async (scene, viewer) => {
    const id = target.id(scene);
    const before = await snapshot(scene, id);
    const answer = await ask(scene, viewer, id);
    if (reachedWith(answer)) {
      expect(await snapshot(scene, id), `${viewer.name} ${what}: nothing recorded`).toEqual(before);
      return true;
    }
    expectNotFound(scene, viewer, answer, 'conversation_not_found', `${viewer.name} ${what}`);
    expect(target.markersIn(scene, JSON.stringify(answer.body)), what).toEqual([]);
    expect(await snapshot(scene, id), `${viewer.name} ${what}: nothing changed`).toEqual(before);
    return false;
  };

export function personalDataProbes(target: Target): Record<string, RouteProbe> {
  return {
    'GET /v1/conversations/:id/personal-data': probe(
      target,
      'asking what personal data was asked of its customer',
      (scene, viewer, id) => scene.desk.call('GET', `/v1/conversations/${id}/personal-data`, undefined, viewer.token),
      (answer) => answer.status === 200 && Array.isArray((answer.body as { requests?: unknown }).requests),
    ),
    'POST /v1/conversations/:id/personal-data/consent': probe(
      target,
      'recording its customer’s consent',
      (scene, viewer, id) =>
        scene.desk.call('POST', `/v1/conversations/${id}/personal-data/consent`, { consent: 'yes', wording: 'Offerte via WhatsApp?' }, viewer.token),
      (answer) => (answer.body as { error?: { code?: string } }).error?.code === 'consent_needs_promotions_request',
    ),
  };
}
