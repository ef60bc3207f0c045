/** Scheduled messages made straight in the store for the probes (apart, so the probe modules import no cycle). */
import crypto from 'node:crypto';
import type { NeedToKnowScene } from './scene.js';

/** A pending scheduled message of the conversation (X by default, as Anna's), made in the store, far ahead and without a job. */
export async function scheduledRowIn(scene: NeedToKnowScene, conversationId = scene.theirs.id): Promise<number> {
  const at = Date.now();
  const row = await scene.t.server.committer.submit((trx) =>
    trx
      .insertInto('scheduled_messages')
      .values({
        conversation_id: conversationId,
        agent_id: scene.anna.agentId,
        content_json: JSON.stringify({ kind: 'text', text: 'A più tardi' }),
        fallback_json: null,
        send_at: at + 30 * 24 * 60 * 60 * 1000,
        time_zone: 'Europe/Rome',
        state: 'pending',
        reason: null,
        message_id: null,
        idempotency_key: `probe:${crypto.randomUUID()}`,
        request_hash: 'probe',
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}
