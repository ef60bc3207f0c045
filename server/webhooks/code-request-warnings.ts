/**
 * Which of a webhook's customer messages ask for a code, a PIN or a password, or claim to be
 * WhatsApp, Meta or support (common/codes/code-requests.ts): the agent sees a warning on each
 * (the renderer runs the same detector), so each is counted and audited once stored. The policy is
 * read only when a message matches, so most webhooks cost nothing more.
 */
import { codeRequestReasons } from '../../common/codes/code-requests.js';
import { messageText } from '../../common/messages/message-text.js';
import type { SafetyPolicy } from '../../common/safety/safety-policy.js';
import type { IngestRecord } from './ingest-records.js';

const NONE: ReadonlySet<string> = new Set();

export async function codeRequestsToWarn(records: readonly IngestRecord[], policy: (() => Promise<SafetyPolicy>) | undefined): Promise<ReadonlySet<string>> {
  if (policy === undefined) return NONE;
  const asking = records.flatMap((record) => {
    if (record.kind !== 'message' || record.direction !== 'inbound') return [];
    const text = messageText(record.content);
    return text !== null && codeRequestReasons(text).length > 0 ? [record.wamid] : [];
  });
  if (asking.length === 0) return NONE;
  return (await policy()).codes.warnInboundCodeRequests ? new Set(asking) : NONE;
}
