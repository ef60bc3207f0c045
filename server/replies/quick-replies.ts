/**
 * Quick replies: kept per scope (global or a team), managed as `mayManageScope` says, used by
 * whoever reads conversations in that scope. A text naming a variable outside the closed set
 * (common/replies/reply-variables.ts) is refused before anything is stored, so an agent never
 * inserts a `{{...}}` that nothing fills in. Every change is audited (never the texts themselves).
 */
import type { CardRefusals } from '../../common/cards/outbound-cards.js';
import type { LinkRefusals } from '../../common/links/outbound-links.js';
import type { Kysely } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ManagedQuickReplies, QuickReplyList, QuickReplyRequest, QuickReplyView } from '../../common/api/replies.js';
import { mayManageScope } from '../../common/api/replies.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { REPLY_VARIABLES, unknownVariables, withoutVariables } from '../../common/replies/reply-variables.js';
import type { Actor } from '../audit/actor.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { commitAudited } from '../audit/audited-commit.js';
import type { ScopeManager } from './reply-scopes.js';
import { managedScopes, refuseMissingTeam, refuseUnmanagedScope, scopeKeyOf, teamsUsedBy } from './reply-scopes.js';

export interface QuickRepliesDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  /** Card numbers in what agents write (common/cards/outbound-cards.ts). */
  readonly cards: CardRefusals;
  readonly links: LinkRefusals;
  readonly now: () => number;
}

const WHAT = 'quick replies';

function replyQuery(db: Kysely<InboxDatabase> | StoreTransaction) {
  return db
    .selectFrom('quick_replies')
    .leftJoin('teams', 'teams.id', 'quick_replies.team_id')
    .select([
      'quick_replies.id',
      'quick_replies.team_id',
      'teams.name as team_name',
      'quick_replies.shortcut',
      'quick_replies.text_en',
      'quick_replies.text_it',
      'quick_replies.updated_at',
    ])
    .orderBy('quick_replies.shortcut')
    .orderBy('quick_replies.id');
}

type ReplyRow = Awaited<ReturnType<ReturnType<typeof replyQuery>['executeTakeFirstOrThrow']>>;

const viewOf = (row: ReplyRow): QuickReplyView => ({
  id: row.id,
  teamId: row.team_id,
  teamName: row.team_name,
  shortcut: row.shortcut,
  texts: { en: row.text_en, it: row.text_it },
  updatedAt: row.updated_at,
});

/** Refuses a text using a variable outside the closed set: code quick_reply_variable_unknown, with the names. */
export function refuseUnknownVariables(request: QuickReplyRequest): void {
  const unknown = [...new Set([request.texts.en, request.texts.it].flatMap((text) => (text === null ? [] : unknownVariables(text))))];
  if (unknown.length === 0) return;
  const named = unknown.map((name) => `{{${name}}}`).join(', ');
  throw new CodedError(
    'quick_reply_variable_unknown',
    `This reply uses ${named}, which is no variable: use only ${REPLY_VARIABLES.map((name) => `{{${name}}}`).join(', ')}.`,
    { unknown: unknown.join(','), known: REPLY_VARIABLES.join(',') },
  );
}

/** A reply's texts as the links rule reads them: its variables are no links. */
function linkTexts(request: QuickReplyRequest): (string | null | undefined)[] {
  return [request.texts.en, request.texts.it].map((text) => (typeof text === 'string' ? withoutVariables(text) : text));
}

export class QuickReplies {
  readonly #deps: QuickRepliesDeps;

  constructor(deps: QuickRepliesDeps) {
    this.#deps = deps;
  }

  /** The replies the viewer may insert: the global ones and their teams'. */
  async usable(viewer: ConversationViewer): Promise<QuickReplyList> {
    const teams = teamsUsedBy(viewer);
    const rows = await replyQuery(this.#deps.db)
      .where((eb) =>
        teams.length === 0
          ? eb('quick_replies.team_id', 'is', null)
          : eb.or([eb('quick_replies.team_id', 'is', null), eb('quick_replies.team_id', 'in', teams)]),
      )
      .execute();
    return { replies: rows.map(viewOf), variables: [...REPLY_VARIABLES] };
  }

  async managed(manager: ScopeManager): Promise<ManagedQuickReplies> {
    const scopes = await managedScopes(this.#deps.db, manager);
    const global = scopes.some((scope) => scope.teamId === null);
    const teams = scopes.flatMap((scope) => (scope.teamId === null ? [] : [scope.teamId]));
    const rows =
      scopes.length === 0
        ? []
        : await replyQuery(this.#deps.db)
            .where((eb) => {
              const either = [];
              if (global) either.push(eb('quick_replies.team_id', 'is', null));
              if (teams.length > 0) either.push(eb('quick_replies.team_id', 'in', teams));
              return eb.or(either);
            })
            .execute();
    return { replies: rows.map(viewOf), scopes, variables: [...REPLY_VARIABLES] };
  }

  async create(manager: ScopeManager, request: QuickReplyRequest, actor: Actor): Promise<QuickReplyView> {
    refuseUnmanagedScope(manager, request.teamId, WHAT);
    refuseUnknownVariables(request);
    await this.#deps.cards.refuse('quick_reply', [request.texts.en, request.texts.it], { agentId: manager.agentId });
    await this.#deps.links.refuse('quick_reply', linkTexts(request), { agentId: manager.agentId });
    const now = this.#deps.now();
    const id = await commitAudited(this.#deps.committer, actor, 'quick_reply.created', now, async (trx) => {
      await refuseMissingTeam(trx, request.teamId);
      await refuseTakenShortcut(trx, request, null);
      const row = await trx
        .insertInto('quick_replies')
        .values({
          team_id: request.teamId,
          scope_key: scopeKeyOf(request.teamId),
          shortcut: request.shortcut,
          text_en: request.texts.en,
          text_it: request.texts.it,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { result: row.id, details: { quickReplyId: row.id, teamId: request.teamId, shortcut: request.shortcut } };
    });
    return this.#get(id);
  }

  async update(manager: ScopeManager, id: number, request: QuickReplyRequest, actor: Actor): Promise<QuickReplyView> {
    refuseUnmanagedScope(manager, request.teamId, WHAT);
    refuseUnknownVariables(request);
    await this.#deps.cards.refuse('quick_reply', [request.texts.en, request.texts.it], { agentId: manager.agentId });
    await this.#deps.links.refuse('quick_reply', linkTexts(request), { agentId: manager.agentId });
    const now = this.#deps.now();
    await commitAudited(this.#deps.committer, actor, 'quick_reply.updated', now, async (trx) => {
      const before = await this.#managedRow(trx, manager, id);
      await refuseMissingTeam(trx, request.teamId);
      await refuseTakenShortcut(trx, request, id);
      await trx
        .updateTable('quick_replies')
        .set({
          team_id: request.teamId,
          scope_key: scopeKeyOf(request.teamId),
          shortcut: request.shortcut,
          text_en: request.texts.en,
          text_it: request.texts.it,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      return { result: id, details: { quickReplyId: id, fromTeamId: before.team_id, teamId: request.teamId, shortcut: request.shortcut } };
    });
    return this.#get(id);
  }

  async remove(manager: ScopeManager, id: number, actor: Actor): Promise<void> {
    await commitAudited(this.#deps.committer, actor, 'quick_reply.removed', this.#deps.now(), async (trx) => {
      const before = await this.#managedRow(trx, manager, id);
      await trx.deleteFrom('quick_replies').where('id', '=', id).execute();
      return { result: undefined, details: { quickReplyId: id, teamId: before.team_id, shortcut: before.shortcut } };
    });
  }

  /** The reply, if the manager manages its scope; otherwise "not found" (another team's replies are not theirs to know of). */
  async #managedRow(trx: StoreTransaction, manager: ScopeManager, id: number) {
    const row = await trx.selectFrom('quick_replies').select(['id', 'team_id', 'shortcut']).where('id', '=', id).executeTakeFirst();
    if (row === undefined || !mayManageScope(manager, row.team_id)) throw new CodedError('quick_reply_not_found', `There is no quick reply ${id} you manage.`);
    return row;
  }

  async #get(id: number): Promise<QuickReplyView> {
    return viewOf(await replyQuery(this.#deps.db).where('quick_replies.id', '=', id).executeTakeFirstOrThrow());
  }
}

async function refuseTakenShortcut(trx: StoreTransaction, request: QuickReplyRequest, except: number | null): Promise<void> {
  let query = trx.selectFrom('quick_replies').select('id').where('scope_key', '=', scopeKeyOf(request.teamId)).where('shortcut', '=', request.shortcut);
  if (except !== null) query = query.where('id', '!=', except);
  if ((await query.executeTakeFirst()) !== undefined) {
    throw new CodedError('quick_reply_shortcut_taken', `There is already a quick reply /${request.shortcut} in this scope: choose another shortcut.`);
  }
}
