/**
 * The supervisors' view of the timed jobs: newest first, what each is, when it is due, its state,
 * attempts and last error, never its payload. A job that concerns a conversation is shown only to
 * who may see that conversation (common/api/conversation-access.ts).
 */
import type { Kysely } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { JobPage, JobView } from '../../common/api/presence.js';
import type { InboxDatabase } from '../store/schema.js';
import type { JobState } from '../store/presence-schema.js';

export interface JobListRequest {
  readonly state?: JobState | undefined;
  readonly before?: number | undefined;
  readonly limit: number;
}

export async function listJobs(db: Kysely<InboxDatabase>, viewer: ConversationViewer, request: JobListRequest): Promise<JobPage> {
  const items: JobView[] = [];
  let before = request.before;
  // Jobs of conversations the viewer may not see are left out: read on until the page is full or nothing is left.
  for (;;) {
    let query = db
      .selectFrom('jobs')
      .leftJoin('conversations', 'conversations.id', 'jobs.conversation_id')
      .select([
        'jobs.id',
        'jobs.kind',
        'jobs.conversation_id',
        'jobs.state',
        'jobs.due_at',
        'jobs.attempts',
        'jobs.max_attempts',
        'jobs.last_error_code',
        'jobs.last_error',
        'jobs.created_at',
        'jobs.finished_at',
        'conversations.assigned_agent_id',
        'conversations.team_id',
      ])
      .orderBy('jobs.id', 'desc')
      .limit(request.limit);
    if (request.state !== undefined) query = query.where('jobs.state', '=', request.state);
    if (before !== undefined) query = query.where('jobs.id', '<', before);
    const rows = await query.execute();
    for (const row of rows) {
      if (row.conversation_id !== null && !maySeeConversation(viewer, { assignedAgentId: row.assigned_agent_id, teamId: row.team_id })) continue;
      items.push({
        id: row.id,
        kind: row.kind,
        conversationId: row.conversation_id,
        state: row.state,
        dueAt: row.due_at,
        attempts: row.attempts,
        maxAttempts: row.max_attempts,
        lastError: row.last_error_code === null ? null : { code: row.last_error_code, message: row.last_error ?? '' },
        createdAt: row.created_at,
        finishedAt: row.finished_at,
      });
      if (items.length === request.limit) return { items, nextBefore: row.id };
    }
    if (rows.length < request.limit) return { items, nextBefore: null };
    before = rows.at(-1)?.id;
  }
}
