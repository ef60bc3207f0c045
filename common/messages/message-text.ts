/**
 * The words a message carries, whatever its kind: what a conversation's preview shows and what
 * search indexes. Null for kinds without words of their own (a sticker, a reaction).
 */
import type { MessageContent } from './message-content.js';

export function messageText(content: MessageContent): string | null {
  switch (content.type) {
    case 'text':
      return content.body;
    case 'image':
    case 'video':
    case 'document':
      return content.caption ?? content.filename ?? null;
    case 'location':
      return [content.name, content.address].filter((part) => part !== undefined).join(', ') || null;
    case 'contacts':
      return content.contacts.map((contact) => contact.formattedName).join(', ') || null;
    case 'interactive_reply':
      return content.title ?? content.body ?? null;
    case 'button':
      return content.text;
    case 'template':
      return content.name;
    case 'order':
      return content.text ?? null;
    default:
      return null;
  }
}

/** The text cut to `length` characters, with an ellipsis when cut. */
export function truncateText(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
