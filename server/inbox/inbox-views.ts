/**
 * The inbox as agents see it: conversation summaries and message views built from the store,
 * keyset-paginated; lists hold only what the viewer may see (common/api/conversation-access.ts).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { conversationOrder, NOT_WAITING } from '../../common/api/conversation-order.js';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';
import type { ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { BusinessNumberOptions, ConversationFilter, ConversationPage, ConversationSummary, MessagePage, MessageView } from '../../common/api/inbox.js';
import { MessageContent } from '../../common/messages/message-content.js';
import type { MessageMeta } from '../../common/messages/message-content.js';
import { AMENDMENT_TYPES } from '../../common/messages/message-content.js';
import { messageText, truncateText } from '../../common/messages/message-text.js';
import { openConversationsOf, STATES_HELD_AGAINST_CAPACITY } from './agent-load.js';
import { carriesLabel, labelsOfConversations } from './conversation-labels.js';
import type { InboxDatabase, MessageRow } from '../store/schema.js';
import { SERVICE_WINDOW_MS } from './conversations.js';
import { queuedSince } from './queue-wait.js';
import { visibleTo } from './visible-conversation.js';

const AMENDMENTS = [...AMENDMENT_TYPES];
const PREVIEW_LENGTH = 160;

function previewText(content: MessageContent): string | null {
  const text = messageText(content);
  return text === null ? null : truncateText(text, PREVIEW_LENGTH);
}

function parseContent(row: Pick<MessageRow, 'content_json' | 'type'>): MessageContent {
  const parsed = MessageContent.safeParse(JSON.parse(row.content_json));
  return parsed.success ? parsed.data : { type: 'unsupported', originalType: row.type };
}

/** The places of what could not be read, for the client; the values stay on the server. */
function unreadablePartsOf(meta: MessageMeta | undefined): { unreadableParts?: string[] } {
  const parts = meta?.unreadable;
  if (parts === undefined || parts.length === 0) return {};
  // Paths are made of schema field names and list indexes; anything else is not shown.
  const place = (path: string) => (/^[A-Za-z0-9_.]{1,200}$/.test(path) ? path : '?');
  return { unreadableParts: parts.slice(0, 50).map((part) => place(part.path)) };
}

function conversationQuery(db: Kysely<InboxDatabase>) {
  return db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .leftJoin('messages as last', 'last.id', 'conversations.last_message_id')
    .leftJoin('business_numbers', 'business_numbers.phone_number_id', 'conversations.business_phone_number_id')
    .leftJoin('agents as resolver', 'resolver.id', 'conversations.resolved_by_agent_id')
    .leftJoin('teams', 'teams.id', 'conversations.team_id')
    .leftJoin('agents as assignee', 'assignee.id', 'conversations.assigned_agent_id')
    .leftJoin('customer_blocks as block', (join) =>
      join.onRef('block.contact_id', '=', 'conversations.contact_id').onRef('block.business_phone_number_id', '=', 'conversations.business_phone_number_id'),
    )
    .leftJoin('agents as blocker', 'blocker.id', 'block.blocked_by_agent_id')
    .select([
      'block.reason as block_reason',
      'block.blocked_by_agent_id',
      'block.blocked_at',
      'block.whatsapp_outcome',
      'block.whatsapp_error_code',
      'blocker.display_name as blocker_name',
    ])
    .select(['conversations.queued_at', 'assignee.display_name as assignee_name'])
    .select([
      'conversations.team_id',
      'teams.name as team_name',
      'conversations.id',
      'conversations.business_phone_number_id',
      'business_numbers.display_name as business_number_name',
      'conversations.last_inbound_at',
      'conversations.last_message_at',
      'conversations.unread_count',
      'conversations.assigned_agent_id',
      'conversations.state',
      'conversations.snoozed_until',
      'conversations.resolved_at',
      'conversations.resolved_by_agent_id',
      'resolver.display_name as resolver_name',
      'conversations.previous_conversation_id',
      'conversations.created_at',
      'contacts.id as contact_id',
      'contacts.profile_name',
      'contacts.wa_id',
      'contacts.username',
      'contacts.group_id',
      'last.id as last_id',
      'last.type as last_type',
      'last.direction as last_direction',
      'last.content_json as last_content_json',
      'last.status as last_status',
      'last.sent_at as last_sent_at',
    ]);
}

type ConversationRowView = Awaited<ReturnType<ReturnType<typeof conversationQuery>['executeTakeFirstOrThrow']>>;

/** The customer's block on the conversation's number, as the summary carries it. */
function blockOf(row: ConversationRowView): ConversationSummary['block'] {
  if (row.block_reason === null || row.blocked_by_agent_id === null || row.blocked_at === null || row.whatsapp_outcome === null) return null;
  return {
    reason: row.block_reason,
    blockedBy: { agentId: row.blocked_by_agent_id, name: row.blocker_name ?? `#${row.blocked_by_agent_id}` },
    blockedAt: row.blocked_at,
    whatsapp: { outcome: row.whatsapp_outcome, errorCode: row.whatsapp_error_code },
  };
}

export class InboxViews {
  readonly #db: Kysely<InboxDatabase>;

  constructor(db: Kysely<InboxDatabase>) {
    this.#db = db;
  }

  #conversationQuery() {
    return conversationQuery(this.#db);
  }

  /** Summaries of the rows, in their order, each with its labels. */
  async #summaries(rows: readonly ConversationRowView[]): Promise<ConversationSummary[]> {
    const labels = await labelsOfConversations(
      this.#db,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({ ...this.#summary(row), labels: labels.get(row.id) ?? [] }));
  }

  #summary(row: ConversationRowView): ConversationSummary {
    const windowClosesAt = row.last_inbound_at === null ? null : row.last_inbound_at + SERVICE_WINDOW_MS;
    return {
      id: row.id,
      // The number as stored: server/masking/ masks it on the way out, for each viewer by the policy.
      customer: { contactId: row.contact_id, name: row.profile_name, phone: row.wa_id, username: row.username, group: row.group_id !== null },
      businessPhoneNumberId: row.business_phone_number_id,
      businessNumberName: row.business_number_name ?? row.business_phone_number_id,
      lastMessage:
        row.last_id === null ||
        row.last_type === null ||
        row.last_direction === null ||
        row.last_content_json === null ||
        row.last_status === null ||
        row.last_sent_at === null
          ? null
          : {
              id: row.last_id,
              type: row.last_type,
              direction: row.last_direction,
              text: previewText(parseContent({ content_json: row.last_content_json, type: row.last_type })),
              status: row.last_status,
              sentAt: row.last_sent_at,
            },
      lastMessageAt: row.last_message_at,
      lastInboundAt: row.last_inbound_at,
      windowClosesAt,
      unreadCount: row.unread_count,
      assignedAgentId: row.assigned_agent_id,
      state: row.state,
      snoozedUntil: row.snoozed_until,
      resolvedAt: row.resolved_at,
      resolvedBy: row.resolved_by_agent_id === null ? null : { agentId: row.resolved_by_agent_id, name: row.resolver_name ?? `#${row.resolved_by_agent_id}` },
      previousConversationId: row.previous_conversation_id,
      teamId: row.team_id,
      teamName: row.team_name,
      labels: [],
      assignee: row.assigned_agent_id === null ? null : { agentId: row.assigned_agent_id, name: row.assignee_name ?? `#${row.assigned_agent_id}` },
      queuedSince: queuedSince(row),
      block: blockOf(row),
    };
  }

  async conversation(id: number): Promise<ConversationSummary | undefined> {
    const row = await this.#conversationQuery().where('conversations.id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : (await this.#summaries([row]))[0];
  }

  async conversations(ids: readonly number[]): Promise<Map<number, ConversationSummary>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#conversationQuery()
      .where('conversations.id', 'in', [...ids])
      .execute();
    return new Map((await this.#summaries(rows)).map((summary) => [summary.id, summary]));
  }

  /** The numbers served, by name, for the list's filter. */
  async numbers(): Promise<BusinessNumberOptions> {
    const rows = await this.#db.selectFrom('business_numbers').select(['phone_number_id', 'display_name']).orderBy('id').execute();
    return { numbers: rows.map((row) => ({ phoneNumberId: row.phone_number_id, displayName: row.display_name })) };
  }

  async listConversations(
    viewer: ConversationViewer,
    filter: ConversationFilter,
    state: ConversationState,
    cursor: string | undefined,
    limit: number,
    number?: string,
    label?: number,
  ): Promise<ConversationPage> {
    let query = this.#conversationQuery()
      .where('conversations.last_message_at', 'is not', null)
      .where('conversations.state', '=', state)
      .where(visibleTo(viewer));
    if (number !== undefined) query = query.where('conversations.business_phone_number_id', '=', number);
    if (label !== undefined) query = query.where(carriesLabel(label));
    if (filter === 'mine') query = query.where('conversations.assigned_agent_id', '=', viewer.agentId);
    else if (filter === 'unassigned') query = query.where('conversations.assigned_agent_id', 'is', null);
    return this.#page(query, conversationOrder(filter, state) === 'oldest_waiting_first' ? 'queued_at' : 'last_message_at', cursor, limit);
  }

  /**
   * The conversations of the team the agent holds against capacity (open and pending:
   * agent-load.ts), most recent first (by their latest message, else when they began), at most
   * `limit`, and how many in all. For a supervisor of the team, who may see each of them.
   */
  async heldInTeam(teamId: number, agentId: number, limit: number): Promise<{ items: ConversationSummary[]; total: number }> {
    const rows = await this.#conversationQuery()
      .where('conversations.team_id', '=', teamId)
      .where('conversations.assigned_agent_id', '=', agentId)
      .where('conversations.state', 'in', [...STATES_HELD_AGAINST_CAPACITY])
      .orderBy((eb) => eb.fn.coalesce('conversations.last_message_at', 'conversations.created_at'), 'desc')
      .orderBy('conversations.id', 'desc')
      .limit(limit)
      .execute();
    return { items: await this.#summaries(rows), total: await openConversationsOf(this.#db, agentId, { teamId }) };
  }

  /** The contact's conversations on the same number that began before `conversation`, newest first. */
  async listEarlierConversations(conversation: ConversationSummary, cursor: string | undefined, limit: number): Promise<ConversationPage> {
    const query = this.#conversationQuery()
      .where('conversations.contact_id', '=', conversation.customer.contactId)
      .where('conversations.business_phone_number_id', '=', conversation.businessPhoneNumberId)
      .where('conversations.id', '<', conversation.id);
    return this.#page(query, 'created_at', cursor, limit);
  }

  /**
   * A page by `column` (ties by id), with cursors of that column and the id: newest first, but the
   * queue (`queued_at`) oldest waiting first (common/api/conversation-order.ts).
   */
  async #page(
    query: ReturnType<typeof conversationQuery>,
    column: 'last_message_at' | 'created_at' | 'queued_at',
    cursor: string | undefined,
    limit: number,
  ): Promise<ConversationPage> {
    const oldestFirst = column === 'queued_at';
    const by = oldestFirst ? sql<number>`coalesce(conversations.queued_at, ${sql.lit(NOT_WAITING)})` : sql.ref<number>(`conversations.${column}`);
    const after = oldestFirst ? '>' : '<';
    if (cursor !== undefined) {
      const [at, id] = decodePageCursor(cursor) ?? [];
      if (at === undefined || id === undefined) return { items: [], nextCursor: null };
      query = query.where((eb) => eb.or([eb(by, after, at), eb.and([eb(by, '=', at), eb('conversations.id', after, id)])]));
    }
    const direction = oldestFirst ? 'asc' : 'desc';
    const rows = await query
      .orderBy(by, direction)
      .orderBy('conversations.id', direction)
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const at = (row: (typeof rows)[number]) => (oldestFirst ? (queuedSince(row) ?? NOT_WAITING) : (row[column] ?? 0));
    return {
      items: await this.#summaries(page),
      nextCursor: rows.length > limit && last !== undefined ? encodePageCursor([at(last), last.id]) : null,
    };
  }

  async listMessages(conversationId: number, cursor: string | undefined, limit: number): Promise<MessagePage> {
    let query = this.#db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('type', 'not in', AMENDMENTS);
    if (cursor !== undefined) {
      const [at, id] = decodePageCursor(cursor) ?? [];
      if (at === undefined || id === undefined) return { items: [], nextCursor: null };
      query = query.where((eb) => eb.or([eb('sent_at', '<', at), eb.and([eb('sent_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query
      .orderBy('sent_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: await this.#messageViews(page), nextCursor: rows.length > limit && last !== undefined ? encodePageCursor([last.sent_at, last.id]) : null };
  }

  async messages(ids: readonly number[]): Promise<Map<number, MessageView>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('messages')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    const views = await this.#messageViews(rows);
    return new Map(views.map((view) => [view.id, view]));
  }

  async #messageViews(rows: readonly MessageRow[]): Promise<MessageView[]> {
    if (rows.length === 0) return [];
    const wamids = rows.map((row) => row.wamid).filter((wamid): wamid is string => wamid !== null);
    const contextWamids = [...new Set(rows.map((row) => row.context_wamid).filter((wamid): wamid is string => wamid !== null))];
    const mediaIds = [...new Set(rows.map((row) => row.media_id).filter((id): id is number => id !== null))];
    const [reactions, contexts, media] = await Promise.all([
      wamids.length === 0
        ? []
        : this.#db
            .selectFrom('reactions')
            .select(['target_wamid', 'actor', 'emoji'])
            .where('target_wamid', 'in', wamids)
            .where('emoji', 'is not', null)
            .execute(),
      contextWamids.length === 0 ? [] : this.#db.selectFrom('messages').select(['id', 'wamid']).where('wamid', 'in', contextWamids).execute(),
      mediaIds.length === 0
        ? []
        : this.#db
            .selectFrom('media')
            .select(['id', 'kind', 'mime_type', 'size', 'declared_size', 'filename', 'state', 'scan_state', 'scan_reason'])
            .where('id', 'in', mediaIds)
            .execute(),
    ]);
    const reactionsByTarget = new Map<string, Array<{ actor: 'customer' | 'business'; emoji: string }>>();
    for (const reaction of reactions) {
      if (reaction.emoji === null) continue;
      const list = reactionsByTarget.get(reaction.target_wamid) ?? [];
      list.push({ actor: reaction.actor, emoji: reaction.emoji });
      reactionsByTarget.set(reaction.target_wamid, list);
    }
    const idByWamid = new Map(contexts.map((row) => [row.wamid, row.id]));
    const mediaById = new Map(media.map((row) => [row.id, row]));
    return rows.map((row) => {
      const meta = row.meta_json === null ? undefined : (JSON.parse(row.meta_json) as MessageMeta);
      const file = row.media_id === null ? undefined : mediaById.get(row.media_id);
      return {
        id: row.id,
        conversationId: row.conversation_id,
        wamid: row.wamid,
        direction: row.direction,
        origin: row.origin,
        content: parseContent(row),
        sentAt: row.sent_at,
        status: row.status,
        statusAt: row.status_at,
        error: row.error_code === null ? null : { code: row.error_code, title: row.error_title, reason: row.error_reason },
        replyToMessageId: row.context_wamid === null ? null : (idByWamid.get(row.context_wamid) ?? null),
        forwarded: meta?.forwarded === true || meta?.frequentlyForwarded === true,
        reactions: row.wamid === null ? [] : (reactionsByTarget.get(row.wamid) ?? []),
        editedAt: row.edited_at,
        deletedAt: row.deleted_at,
        media:
          file === undefined
            ? null
            : {
                id: file.id,
                kind: file.kind,
                mimeType: file.mime_type,
                size: file.size ?? file.declared_size,
                filename: file.filename,
                state: file.state,
                // What the scan made of it, and why by code: clamd's signature name stays in the row.
                scan: file.scan_state,
                scanReason: file.scan_reason,
              },
        sentByAgentId: row.sent_by_agent_id,
        ...unreadablePartsOf(meta),
      };
    });
  }
}
