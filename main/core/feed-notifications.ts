/**
 * What the desktop tells the agent of the live feed: a customer's new message, a colleague's
 * note mentioning them, a conversation a colleague handed them (with the transfer's note), and
 * their own reminder of a conversation come due (the server sends it to them alone);
 * never a message of a customer blocked on the conversation's number. The server sends each only to someone who may see the conversation (a
 * mention only to the agent it names), so this decides the words alone: text only where the
 * policy allows previews, in the system's language (main/desktop-text).
 */
import type { FeedEvent } from '../../common/api/events.js';
import type { ClientPolicy } from '../../common/api/session.js';
import type { DesktopText } from '../desktop-text/desktop-text.js';

const PREVIEW_LENGTH = 200;

export interface DesktopNotification {
  readonly title: string;
  /** Null when the policy keeps message text off the screen. */
  readonly body: string | null;
}

function customerOf(conversation: Extract<FeedEvent, { type: 'message' | 'handover' | 'reminder' }>['conversation']): string {
  const { customer } = conversation;
  return customer.name ?? customer.phone ?? customer.username ?? 'WhatsApp';
}

/** The notification a live event is worth, if any. */
export function notificationOf(event: FeedEvent, policy: Pick<ClientPolicy, 'notificationPreviews'>, text: DesktopText): DesktopNotification | undefined {
  // A blocked customer's messages are kept and shown, never announced.
  if (event.type === 'message' && event.conversation.block !== null) return undefined;
  if (event.type === 'message' && event.message.direction === 'inbound' && event.message.origin === 'customer') {
    const body = policy.notificationPreviews && event.message.content.type === 'text' ? event.message.content.body.slice(0, PREVIEW_LENGTH) : null;
    return { title: customerOf(event.conversation), body };
  }
  if (event.type === 'mention') {
    return {
      title: text.mentionedYou(event.note.author.displayName, customerOf(event.conversation)),
      body: policy.notificationPreviews ? event.note.body.slice(0, PREVIEW_LENGTH) : null,
    };
  }
  if (event.type === 'handover') {
    const team = event.entry.assignee === null ? (event.entry.team?.name ?? null) : null;
    return {
      title: text.handedOver(event.entry.actor?.name ?? '', customerOf(event.conversation), team),
      body: policy.notificationPreviews && event.note !== null ? event.note.body.slice(0, PREVIEW_LENGTH) : null,
    };
  }
  if (event.type === 'reminder' && event.reminder.state === 'due')
    return { title: text.reminderDue(customerOf(event.conversation)), body: text.reminderDueBody };
  return undefined;
}
