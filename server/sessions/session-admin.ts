/**
 * Who is signed in where, for admins: every live session (an agent on a workstation, or an admin
 * on the phone approval page) with its workstation, address, sign-in and last sign of use; and
 * ending one, audited, through the same revocation as logging out elsewhere (endSessions): its
 * tokens stop working at once and its event socket closes with the reason, so its workstation
 * shows the sign-in screen.
 */
import type { Kysely } from 'kysely';
import type { SessionView } from '../../common/api/admin.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../audit/actor.js';
import { rolesOf } from '../store/agent-roles.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { endSessions } from './session-store.js';

/**
 * What closes an ended session's socket at once: the server's event feed (a SecurityNotifier);
 * in the CLI's process, nothing (the running server's feed notices within its poll). Named here,
 * not imported, since the feed itself builds on this folder.
 */
export interface SessionCloser {
  sessionsEnded(sessionIds: readonly number[], reason: string): void;
}

export interface SessionAdminDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly security: SessionCloser;
  readonly now: () => number;
}

/** Why an admin's act ended a session, as its socket and the audit log say it. */
export const ENDED_BY_ADMIN = 'ended_by_admin';

function sessionsQuery(db: Kysely<InboxDatabase>) {
  return db
    .selectFrom('sessions')
    .innerJoin('agents', 'agents.id', 'sessions.agent_id')
    .leftJoin('devices', 'devices.id', 'sessions.device_id')
    .select([
      'sessions.id',
      'sessions.kind',
      'sessions.source_address',
      'sessions.created_at',
      'sessions.last_used_at',
      'sessions.expires_at',
      'sessions.ended_at',
      'agents.id as agent_id',
      'agents.username',
      'agents.display_name',
      'agents.roles',
      'devices.id as device_id',
      'devices.label as device_label',
      'devices.hostname',
      'devices.os',
    ]);
}

type SessionJoinRow = Awaited<ReturnType<ReturnType<typeof sessionsQuery>['executeTakeFirstOrThrow']>>;

function sessionView(row: SessionJoinRow, currentSessionId?: number): SessionView {
  return {
    id: row.id,
    kind: row.kind,
    agent: { id: row.agent_id, username: row.username, displayName: row.display_name, roles: rolesOf(row.roles) },
    device: row.device_id === null ? null : { id: row.device_id, label: row.device_label ?? '', hostname: row.hostname ?? '', os: row.os ?? '' },
    sourceAddress: row.source_address,
    signedInAt: row.created_at,
    lastSeenAt: row.last_used_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    current: row.id === currentSessionId,
  };
}

export class SessionAdmin {
  readonly #deps: SessionAdminDeps;

  constructor(deps: SessionAdminDeps) {
    this.#deps = deps;
  }

  /** The sessions not ended and not past their absolute end, most recently seen first; `currentSessionId`: the asker's, marked. */
  async list(currentSessionId?: number): Promise<SessionView[]> {
    const rows = await sessionsQuery(this.#deps.db)
      .where('sessions.ended_at', 'is', null)
      .where('sessions.expires_at', '>', this.#deps.now())
      .orderBy('sessions.last_used_at', 'desc')
      .orderBy('sessions.id', 'desc')
      .execute();
    return rows.map((row) => sessionView(row, currentSessionId));
  }

  /**
   * Ends one live session now. `currentSessionId`: the session making the request, which is not
   * ended this way (signing out does that). Nothing changes when refused.
   */
  async end(sessionId: number, actor: Actor, currentSessionId?: number): Promise<SessionView> {
    if (sessionId === currentSessionId) {
      throw new CodedError('cannot_end_own_session', 'This is the session you are using: sign out instead of ending it here.');
    }
    const now = this.#deps.now();
    const ended = await this.#deps.committer.submit(async (trx) => {
      const before = await sessionsQuery(trx).where('sessions.id', '=', sessionId).executeTakeFirst();
      if (before === undefined) throw new CodedError('session_not_found', `There is no session ${sessionId}.`);
      if (before.ended_at !== null || before.expires_at <= now) {
        throw new CodedError('session_already_ended', `Session ${sessionId} of ${before.username} has already ended: nothing to do.`);
      }
      await endSessions(trx, { sessionId }, ENDED_BY_ADMIN, now);
      await appendAudit(
        trx,
        {
          event: 'session.ended',
          outcome: 'ok',
          actor: actor.name,
          agentId: actor.agentId,
          deviceId: before.device_id,
          sourceAddress: actor.sourceAddress,
          details: { sessionId, subjectAgentId: before.agent_id, username: before.username, kind: before.kind },
        },
        now,
      );
      return sessionView({ ...before, ended_at: now });
    });
    this.#deps.security.sessionsEnded([sessionId], ENDED_BY_ADMIN);
    return ended;
  }
}
