/**
 * The scopes quick replies and labels are kept in, as the server judges them: which a manager may
 * change (common/api/replies.ts `mayManageScope`), which a viewer uses (the global one and the
 * teams the one visibility rule gives them), and each change made in one transaction with its
 * audit row.
 */
import type { Kysely } from 'kysely';
import { visibilityOf } from '../../common/api/conversation-access.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ReplyScope } from '../../common/api/replies.js';
import { mayManageScope } from '../../common/api/replies.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';

export type ScopeManager = ConversationViewer;

/** `team_id` as `scope_key`: 0 for global. */
export const scopeKeyOf = (teamId: number | null): number => teamId ?? 0;

/** The teams whose replies and labels the viewer uses: those they are a member of or supervise (the visibility rule's teams). */
export function teamsUsedBy(viewer: ConversationViewer): number[] {
  const visibility = visibilityOf(viewer);
  return visibility === undefined ? [] : [...visibility.queuesOf, ...visibility.teams];
}

/** The scopes the manager may change, named: global for an administrator, each team they supervise. */
export async function managedScopes(db: Kysely<InboxDatabase>, manager: ScopeManager): Promise<ReplyScope[]> {
  const scopes: ReplyScope[] = mayManageScope(manager, null) ? [{ teamId: null, teamName: null }] : [];
  const teams = manager.roles.includes('supervisor') ? manager.supervises : [];
  if (teams.length === 0) return scopes;
  const rows = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('id', 'in', [...teams])
    .orderBy('name')
    .execute();
  return [...scopes, ...rows.map((row) => ({ teamId: row.id, teamName: row.name }))];
}

/** Refuses a scope the manager may not change; a team that does not exist is refused the same way (nothing to tell apart). */
export function refuseUnmanagedScope(manager: ScopeManager, teamId: number | null, what: string): void {
  if (mayManageScope(manager, teamId)) return;
  throw new CodedError(
    'reply_scope_forbidden',
    teamId === null ? `Only administrators manage the global ${what}.` : `Only the supervisors of team ${teamId} manage its ${what}.`,
  );
}

export async function refuseMissingTeam(trx: StoreTransaction, teamId: number | null): Promise<void> {
  if (teamId === null) return;
  const team = await trx.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  if (team === undefined) throw new CodedError('team_not_found', `There is no team ${teamId}.`);
}
