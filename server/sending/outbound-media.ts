/**
 * The files agents send, and who may use them. An upload is checked by its bytes (the check the
 * desktop client runs too, common/attachments/attachment-check.ts) and belongs to its uploader
 * until it is sent; the send claims it for its conversation. A file already in a conversation is
 * sent again as a copy (a new row naming the same stored file), so a row is only ever in one
 * conversation. Who may download a file, or send one already sent, is judged by the messages
 * that carry it (the exact one, when the caller names it) under the one conversation rule.
 */
import type { Kysely } from 'kysely';
import type { ConversationViewer } from '../../common/api/conversation-access.js';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import { checkAttachment } from '../../common/attachments/attachment-check.js';
import { maxBytesFor } from '../../common/attachments/media-limits.js';
import { mayReadConversation } from '../inbox/contact-history.js';
import type { MediaStore } from '../media/media-store.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { InboxDatabase, MediaRow } from '../store/schema.js';
import { SendError } from './send-errors.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import type { FileScanner } from '../scanning/file-scanner.js';
import type { SafetyActionEntry } from '../safety/safety-actions.js';
import { refuseUnreleasable } from '../media/media-release.js';
import { scanUpload } from './upload-scan.js';

/** An agent through the client API; undefined: the server itself, which sees every conversation. */
export type MediaUser = ConversationViewer | undefined;

/** A file checked for a send before its transaction. */
export interface PreparedMedia {
  readonly mediaId: number;
  /** Set when the file will be copied and the server had not checked its bytes before (a customer's file). */
  readonly checked?: { readonly sha256: string; readonly mimeType: string; readonly animated: boolean };
}

export type AttachedMedia = Pick<MediaRow, 'id' | 'kind' | 'mime_type' | 'filename'>;

interface Deps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly store: MediaStore;
  /** clamd, if configured: every upload is scanned before it is stored (upload-scan.ts). */
  readonly scanner: FileScanner;
  readonly policy: () => Promise<SafetyPolicy>;
  /** A refused upload is audited and counted (SafetyActions.record). */
  readonly record: (entry: SafetyActionEntry) => Promise<void>;
  readonly now?: () => number;
}

type Reach = 'own_upload' | 'in_conversation';
type Ownership = Pick<MediaRow, 'id' | 'direction' | 'uploaded_by_agent_id' | 'sent_to_conversation_id'>;

const notFound = (mediaId: number) => new SendError('media_not_found', `There is no stored file ${mediaId} you may send.`);

/** Uploads made through the client API were checked when they arrived; customers' files and older uploads were not. */
const checkedAtUpload = (row: Pick<MediaRow, 'direction' | 'uploaded_by_agent_id'>) => row.direction === 'outbound' && row.uploaded_by_agent_id !== null;

export class OutboundMedia {
  readonly #deps: Deps;
  readonly #now: () => number;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Checks an upload's bytes, scans them, stores it, and records it as `uploader`'s; refused uploads store nothing. */
  async upload(
    input: { kind: string; mimeType: string; filename: string; bytes: Uint8Array },
    uploader: MediaUser,
    from: { deviceId?: number | null } = {},
  ): Promise<{ mediaId: number; sha256: string; size: number }> {
    const { checked, scan } = await scanUpload(this.#deps, input, { agentId: uploader?.agentId ?? null, deviceId: from.deviceId ?? null });
    const stored = await this.#deps.store.writeBytes(input.bytes, maxBytesFor(checked.kind, { animated: checked.animated }));
    const now = this.#now();
    const row = await this.#deps.committer.submit((trx) =>
      trx
        .insertInto('media')
        .values({
          direction: 'outbound',
          kind: checked.kind,
          graph_media_id: null,
          mime_type: checked.mimeType,
          declared_sha256: null,
          declared_size: null,
          filename: input.filename.slice(0, 255),
          animated: checked.animated ? 1 : 0,
          state: 'stored',
          sha256: stored.sha256,
          size: stored.size,
          next_attempt_at: null,
          last_error_code: null,
          last_error: null,
          graph_uploaded_at: null,
          created_at: now,
          updated_at: now,
          uploaded_by_agent_id: uploader?.agentId ?? null,
          sent_to_conversation_id: null,
          scan_state: scan.state,
          scan_reason: scan.state === 'unscanned' ? scan.reason : null,
          scanned_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    return { mediaId: row.id, sha256: stored.sha256, size: stored.size };
  }

  /** The file, if `viewer` may download it: their own unsent upload, or carried by a message (`messageId`, when named) they may see. */
  async downloadable(viewer: ConversationViewer, mediaId: number, messageId?: number): Promise<MediaRow | undefined> {
    const row = await this.#deps.db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
    if (row === undefined) return undefined;
    return (await reachOf(this.#deps.db, viewer, row, messageId, 'reading')) === undefined ? undefined : row;
  }

  /**
   * Before a send's transaction: refuses a file the sender may not use, and checks the bytes of
   * one about to be copied that the server never checked (a customer's file forwarded), here and
   * not in the transaction, where reading up to 100 MB would hold up every writer.
   */
  async prepareSend(sender: MediaUser, mediaId: number): Promise<PreparedMedia> {
    const row = await this.#deps.db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
    const reach = row === undefined ? undefined : await reachOf(this.#deps.db, sender, row);
    if (row?.state !== 'stored' || row.sha256 === null || reach === undefined) throw notFound(mediaId);
    // A customer's file goes out again only as it would be opened: never infected, refused or unscanned by policy.
    refuseUnreleasable(row, await this.#deps.policy());
    if (reach === 'own_upload' || checkedAtUpload(row)) return { mediaId };
    const checked = await checkAttachment({ kind: row.kind, mimeType: row.mime_type, bytes: await this.#deps.store.read(row.sha256) });
    return { mediaId, checked: { sha256: row.sha256, mimeType: checked.mimeType, animated: checked.animated } };
  }

  /** In the send's transaction: the row the new message carries, the sender's upload claimed for `conversationId` or a copy. */
  async attach(trx: StoreTransaction, sender: MediaUser, prepared: PreparedMedia, conversationId: number): Promise<AttachedMedia> {
    const row = await trx.selectFrom('media').selectAll().where('id', '=', prepared.mediaId).executeTakeFirst();
    // Judged again: the conversation may have changed hands, or the upload been sent, since prepareSend.
    const reach = row === undefined ? undefined : await reachOf(trx, sender, row);
    if (row?.state !== 'stored' || row.sha256 === null || reach === undefined) throw notFound(prepared.mediaId);
    const now = this.#now();
    if (reach === 'own_upload') {
      await trx
        .updateTable('media')
        .set({ sent_to_conversation_id: conversationId, updated_at: now })
        .where('id', '=', row.id)
        .where('sent_to_conversation_id', 'is', null)
        .execute();
      return row;
    }
    if (!checkedAtUpload(row) && prepared.checked?.sha256 !== row.sha256)
      throw new SendError('media_not_found', 'This file was sent elsewhere while it was being checked: attach it again.');
    // Meta's upload of our own file can be sent again (kept 30 days); a customer's media id cannot.
    const reusable = row.direction === 'outbound';
    return trx
      .insertInto('media')
      .values({
        direction: 'outbound',
        kind: row.kind,
        graph_media_id: reusable ? row.graph_media_id : null,
        mime_type: prepared.checked?.mimeType ?? row.mime_type,
        declared_sha256: null,
        declared_size: null,
        filename: row.filename,
        animated: prepared.checked === undefined ? row.animated : prepared.checked.animated ? 1 : 0,
        state: 'stored',
        sha256: row.sha256,
        size: row.size,
        next_attempt_at: null,
        last_error_code: null,
        last_error: null,
        graph_uploaded_at: reusable ? row.graph_uploaded_at : null,
        created_at: now,
        updated_at: now,
        uploaded_by_agent_id: sender?.agentId ?? null,
        sent_to_conversation_id: conversationId,
        scan_state: row.scan_state,
        scan_reason: row.scan_reason,
        scan_signature: row.scan_signature,
        scanned_at: row.scanned_at,
      })
      .returning(['id', 'kind', 'mime_type', 'filename'])
      .executeTakeFirstOrThrow();
  }
}

/**
 * How `user` may reach a file: an unsent upload only by its uploader; anything else through a
 * message carrying it (the named one, if any) in a conversation the user may see. Every carrying
 * message counts, none is picked first; an outbound row counts only in the conversation it records.
 * For `reading` (a download), a conversation read through the contact's history counts too
 * (contact-history.ts); a send never reaches a file that way.
 */
async function reachOf(
  db: Kysely<InboxDatabase>,
  user: MediaUser,
  row: Ownership,
  messageId?: number,
  purpose: 'sending' | 'reading' = 'sending',
): Promise<Reach | undefined> {
  if (row.direction === 'outbound' && row.sent_to_conversation_id === null) {
    return messageId === undefined && row.uploaded_by_agent_id === (user?.agentId ?? null) ? 'own_upload' : undefined;
  }
  let carriers = db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select([
      'conversations.id',
      'conversations.assigned_agent_id',
      'conversations.team_id',
      'conversations.contact_id',
      'conversations.business_phone_number_id',
    ])
    .where('messages.media_id', '=', row.id);
  if (row.sent_to_conversation_id !== null) carriers = carriers.where('messages.conversation_id', '=', row.sent_to_conversation_id);
  if (messageId !== undefined) carriers = carriers.where('messages.id', '=', messageId);
  const conversations = await carriers.execute();
  const placeOf = (carrier: (typeof conversations)[number]) => ({ assignedAgentId: carrier.assigned_agent_id, teamId: carrier.team_id });
  if (conversations.some((carrier) => user === undefined || maySeeConversation(user, placeOf(carrier)))) return 'in_conversation';
  if (purpose === 'sending' || user === undefined) return undefined;
  for (const carrier of conversations) {
    const conversation = {
      id: carrier.id,
      ...placeOf(carrier),
      contactId: carrier.contact_id,
      phoneNumberId: carrier.business_phone_number_id,
    };
    if (await mayReadConversation(db, user, conversation)) return 'in_conversation';
  }
  return undefined;
}
