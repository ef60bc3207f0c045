/**
 * Blocking a customer on WhatsApp itself: the business number's Cloud API block_users (POST to
 * block, DELETE to unblock), and what its answer means for the block Sportello keeps. Never
 * throws: every answer, a refusal or no answer at all, is an outcome the block records.
 */
import type { WhatsAppBlockOutcome } from '../../common/api/blocks.js';
import type { BlockUsersAction } from '../cloud-api/block-users.js';
import { GraphApiError } from '../cloud-api/graph-client.js';
import type { BusinessNumbers } from '../numbers/business-numbers.js';

export interface WhatsAppBlockResult {
  readonly outcome: Exclude<WhatsAppBlockOutcome, 'pending'>;
  readonly errorCode: string | null;
}

/**
 * Graph's "this object does not support this operation" (code 100, or a 404 for an unknown
 * edge): a number whose API has no block_users. Sportello keeps the block by itself then.
 */
function unsupported(error: GraphApiError): boolean {
  return error.failure.httpStatus === 404 || error.failure.metaCode === 100;
}

/** Blocks (or unblocks) the customer `user` (their wa_id) on the business number. */
export async function whatsappBlock(
  numbers: Pick<BusinessNumbers, 'line'>,
  phoneNumberId: string,
  user: string | null,
  action: BlockUsersAction,
): Promise<WhatsAppBlockResult> {
  // A customer known only by their username has no number to block by.
  if (user === null) return { outcome: 'not_supported', errorCode: 'recipient_without_phone' };
  const line = numbers.line(phoneNumberId);
  if (line?.graph === undefined || line.health.state !== 'ok') return { outcome: 'failed', errorCode: 'channel_unavailable' };
  try {
    const answer = await line.graph.blockUsers(action, user);
    const failure = answer.failed[0];
    if (failure !== undefined) return { outcome: 'failed', errorCode: failure.code };
    return answer.done.length > 0 ? { outcome: 'blocked', errorCode: null } : { outcome: 'failed', errorCode: 'meta_unknown' };
  } catch (error) {
    if (error instanceof GraphApiError)
      return unsupported(error) ? { outcome: 'not_supported', errorCode: error.verdict.code } : { outcome: 'failed', errorCode: error.verdict.code };
    return { outcome: 'failed', errorCode: 'internal' };
  }
}
