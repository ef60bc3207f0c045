/**
 * A template's media header sent from a file the agent uploaded (docs/templates.md). The send
 * names the upload (`parameters.headerMedia.attachmentId`), never a Meta media id: the upload is
 * checked before the send's transaction as an attachment is (OutboundMedia.prepareSend: the
 * sender's own unsent upload, or a file of a conversation they may see; `media_not_found`
 * otherwise), claimed for the conversation in it (OutboundMedia.attach), and carried by the stored
 * message, so the history shows the header's file. The rule then judges the file as stored (its
 * kind, not the one the client said), and the dispatcher uploads it to Meta when the message goes
 * and names Meta's media id in the header (graph-message-body.ts), as it does for an attachment.
 */
import type { MediaKind } from '../../common/attachments/media-limits.js';
import type { SendRequest } from '../../common/messages/send-request.js';
import { headerMediaOfUpload } from '../../common/templates/template-parameters.js';
import type { StoreTransaction } from '../store/group-commit.js';
import type { MediaUser, OutboundMedia, PreparedMedia } from './outbound-media.js';
import { SendError } from './send-errors.js';

type TemplateRequest = Extract<SendRequest, { kind: 'template' }>;

/** The upload a send names for a template's header, if any. */
export function headerUploadOf(request: SendRequest): number | undefined {
  return request.kind === 'template' ? request.parameters?.headerMedia?.attachmentId : undefined;
}

/**
 * In the send's transaction: the header's upload claimed for the conversation (or copied, as an
 * attachment sent again is), and the request with the file's kind and name as stored.
 */
export async function attachHeaderUpload(
  trx: StoreTransaction,
  media: Pick<OutboundMedia, 'attach'>,
  sender: MediaUser,
  prepared: PreparedMedia | { refused: Error } | undefined,
  request: TemplateRequest,
  conversationId: number,
): Promise<{ request: TemplateRequest; mediaId: number | null }> {
  const upload = headerUploadOf(request);
  if (upload === undefined || request.parameters === undefined) return { request, mediaId: null };
  if (prepared === undefined) throw new SendError('media_not_found', `There is no stored file ${upload} to send.`);
  if ('refused' in prepared) throw prepared.refused;
  const row = await media.attach(trx, sender, prepared, conversationId);
  const headerMedia = headerMediaOfUpload({ attachmentId: row.id, kind: row.kind as MediaKind, filename: row.filename });
  return { request: { ...request, parameters: { ...request.parameters, headerMedia } }, mediaId: row.id };
}
