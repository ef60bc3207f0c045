/**
 * Labels: defined per scope (global by administrators, a team's by its supervisors), put on a
 * conversation or taken off by anyone who may see it, with a label that is global or of the
 * conversation's team. Each change is audited; the feed events that carry the summaries with their
 * labels to every viewer are written by the store's triggers (migration 0020).
 */
import type { Kysely } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import type { ConversationSummary } from '../../common/api/inbox.js';
import type { LabelList, LabelRequest, LabelView, ManagedLabels } from '../../common/api/replies.js';
import { LabelColor, mayManageScope } from '../../common/api/replies.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { Actor } from '../audit/actor.js';
import type { InboxViews } from '../inbox/inbox-views.js';
import { visibleConversation } from '../inbox/visible-conversation.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase } from '../store/schema.js';
import { commitAudited } from '../audit/audited-commit.js';
import type { ScopeManager } from './reply-scopes.js';
import { managedScopes, refuseMissingTeam, refuseUnmanagedScope, scopeKeyOf, teamsUsedBy } from './reply-scopes.js';

export interface LabelsDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly views: InboxViews;
  readonly now: () => number;
}

const WHAT = 'labels';

function labelQuery(db: Kysely<InboxDatabase> | StoreTransaction) {
  return db
    .selectFrom('labels')
    .leftJoin('teams', 'teams.id', 'labels.team_id')
    .select(['labels.id', 'labels.team_id', 'teams.name as team_name', 'labels.name', 'labels.color'])
    .orderBy('labels.name_key')
    .orderBy('labels.id');
}

type LabelRow = Awaited<ReturnType<ReturnType<typeof labelQuery>['executeTakeFirstOrThrow']>>;

/** A colour the palette no longer has shows as grey rather than failing the answer. */
const colorOf = (color: string) => LabelColor.catch('grey').parse(color);

const viewOf = (row: LabelRow): LabelView => ({ id: row.id, teamId: row.team_id, teamName: row.team_name, name: row.name, color: colorOf(row.color) });

export class Labels {
  readonly #deps: LabelsDeps;

  constructor(deps: LabelsDeps) {
    this.#deps = deps;
  }

  async usable(viewer: ConversationViewer): Promise<LabelList> {
    const teams = teamsUsedBy(viewer);
    const rows = await labelQuery(this.#deps.db)
      .where((eb) => (teams.length === 0 ? eb('labels.team_id', 'is', null) : eb.or([eb('labels.team_id', 'is', null), eb('labels.team_id', 'in', teams)])))
      .execute();
    return { labels: rows.map(viewOf) };
  }

  async managed(manager: ScopeManager): Promise<ManagedLabels> {
    const scopes = await managedScopes(this.#deps.db, manager);
    const teams = scopes.flatMap((scope) => (scope.teamId === null ? [] : [scope.teamId]));
    const global = scopes.length > teams.length;
    const rows =
      scopes.length === 0
        ? []
        : await labelQuery(this.#deps.db)
            .where((eb) => eb.or([...(global ? [eb('labels.team_id', 'is', null)] : []), ...(teams.length > 0 ? [eb('labels.team_id', 'in', teams)] : [])]))
            .execute();
    return { labels: rows.map(viewOf), scopes };
  }

  async create(manager: ScopeManager, request: LabelRequest, actor: Actor): Promise<LabelView> {
    refuseUnmanagedScope(manager, request.teamId, WHAT);
    const now = this.#deps.now();
    const id = await commitAudited(this.#deps.committer, actor, 'label.created', now, async (trx) => {
      await refuseMissingTeam(trx, request.teamId);
      await refuseTakenName(trx, request, null);
      const row = await trx
        .insertInto('labels')
        .values({
          team_id: request.teamId,
          scope_key: scopeKeyOf(request.teamId),
          name: request.name,
          name_key: request.name.toLowerCase(),
          color: request.color,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { result: row.id, details: { labelId: row.id, teamId: request.teamId, name: request.name, color: request.color } };
    });
    return this.#get(id);
  }

  /** A label keeps its scope (moving one would leave it on conversations of another team); its name and colour change. */
  async update(manager: ScopeManager, id: number, request: LabelRequest, actor: Actor): Promise<LabelView> {
    const now = this.#deps.now();
    await commitAudited(this.#deps.committer, actor, 'label.updated', now, async (trx) => {
      const before = await this.#managedRow(trx, manager, id);
      if (before.team_id !== request.teamId) {
        throw new CodedError('label_scope_fixed', 'A label stays in the scope it was made in: make a new label in the other scope instead.');
      }
      await refuseTakenName(trx, request, id);
      await trx
        .updateTable('labels')
        .set({ name: request.name, name_key: request.name.toLowerCase(), color: request.color, updated_at: now })
        .where('id', '=', id)
        .execute();
      return { result: id, details: { labelId: id, teamId: before.team_id, name: request.name, color: request.color } };
    });
    return this.#get(id);
  }

  /** Takes the label off every conversation first (each one's viewers are told), then removes it. */
  async remove(manager: ScopeManager, id: number, actor: Actor): Promise<void> {
    await commitAudited(this.#deps.committer, actor, 'label.removed', this.#deps.now(), async (trx) => {
      const before = await this.#managedRow(trx, manager, id);
      const taken = await trx.deleteFrom('conversation_labels').where('label_id', '=', id).executeTakeFirst();
      await trx.deleteFrom('labels').where('id', '=', id).execute();
      return { result: undefined, details: { labelId: id, teamId: before.team_id, name: before.name, conversations: Number(taken.numDeletedRows) } };
    });
  }

  /** Puts the label on the conversation (again: nothing changes, nothing is told). */
  async addTo(viewer: ConversationViewer, conversationId: number, labelId: number, actor: Actor): Promise<ConversationSummary> {
    const { views, committer, now } = this.#deps;
    const conversation = await visibleConversation(views, viewer, conversationId);
    const at = now();
    await commitAudited(committer, actor, 'conversation.label_added', at, async (trx) => {
      const label = await applicableLabel(trx, conversation, labelId);
      await trx
        .insertInto('conversation_labels')
        .values({ conversation_id: conversationId, label_id: labelId, added_by_agent_id: viewer.agentId, added_at: at })
        .onConflict((conflict) => conflict.columns(['conversation_id', 'label_id']).doNothing())
        .execute();
      return { result: undefined, details: { conversationId, labelId, name: label.name } };
    });
    return visibleConversation(views, viewer, conversationId);
  }

  async removeFrom(viewer: ConversationViewer, conversationId: number, labelId: number, actor: Actor): Promise<ConversationSummary> {
    const { views, committer, now } = this.#deps;
    await visibleConversation(views, viewer, conversationId);
    await commitAudited(committer, actor, 'conversation.label_removed', now(), async (trx) => {
      const taken = await trx
        .deleteFrom('conversation_labels')
        .where('conversation_id', '=', conversationId)
        .where('label_id', '=', labelId)
        .executeTakeFirst();
      if (Number(taken.numDeletedRows) === 0)
        throw new CodedError('label_not_on_conversation', `Conversation ${conversationId} does not carry label ${labelId}.`);
      return { result: undefined, details: { conversationId, labelId } };
    });
    return visibleConversation(views, viewer, conversationId);
  }

  async #managedRow(trx: StoreTransaction, manager: ScopeManager, id: number) {
    const row = await trx.selectFrom('labels').select(['id', 'team_id', 'name']).where('id', '=', id).executeTakeFirst();
    if (row === undefined || !mayManageScope(manager, row.team_id)) throw new CodedError('label_not_found', `There is no label ${id} you manage.`);
    return row;
  }

  async #get(id: number): Promise<LabelView> {
    return viewOf(await labelQuery(this.#deps.db).where('labels.id', '=', id).executeTakeFirstOrThrow());
  }
}

/** The label, if it is global or of the conversation's team (whoever may see the conversation may see its team's labels); else "not found". */
async function applicableLabel(trx: StoreTransaction, conversation: ConversationSummary, labelId: number) {
  const label = await trx.selectFrom('labels').select(['id', 'team_id', 'name']).where('id', '=', labelId).executeTakeFirst();
  const fits = label !== undefined && (label.team_id === null || label.team_id === conversation.teamId);
  if (!fits) throw new CodedError('label_not_found', `There is no label ${labelId} for this conversation: use a global label or one of its team’s.`);
  return label;
}

async function refuseTakenName(trx: StoreTransaction, request: LabelRequest, except: number | null): Promise<void> {
  let query = trx.selectFrom('labels').select('name').where('scope_key', '=', scopeKeyOf(request.teamId)).where('name_key', '=', request.name.toLowerCase());
  if (except !== null) query = query.where('id', '!=', except);
  const taken = await query.executeTakeFirst();
  if (taken !== undefined) throw new CodedError('label_name_taken', `There is already a label called ${taken.name} in this scope: choose another name.`);
}
