/** The Graph API body for one stored outbound message (../shared/docs/cloud-api.md §5). */
import type { MessageContent } from '../../common/messages/message-content.js';

export interface Recipient {
  readonly waId: string | null;
  readonly userId: string | null;
}

export interface OutboundParts {
  readonly content: MessageContent;
  readonly contextWamid: string | null;
  /** Meta's id of the uploaded file, for media messages and a template's uploaded header file. */
  readonly graphMediaId: string | null;
  readonly recipient: Recipient;
}

export function graphMessageBody(parts: OutboundParts): Record<string, unknown> {
  const { content } = parts;
  // A phone number when we have one (Meta's advice); the BSUID goes in `recipient` otherwise.
  const address = parts.recipient.waId !== null ? { to: parts.recipient.waId } : { recipient: parts.recipient.userId };
  const context = parts.contextWamid === null ? {} : { context: { message_id: parts.contextWamid } };
  const base = { recipient_type: 'individual', ...address, ...context };
  switch (content.type) {
    case 'text':
      if (content.buttons !== undefined && content.buttons.length > 0) {
        const buttons = content.buttons.map((button) => ({ type: 'reply', reply: { id: button.id, title: button.title } }));
        return { ...base, type: 'interactive', interactive: { type: 'button', body: { text: content.body }, action: { buttons } } };
      }
      return { ...base, type: 'text', text: { body: content.body, preview_url: content.previewUrl === true } };
    case 'image':
    case 'video':
    case 'document':
      return {
        ...base,
        type: content.type,
        [content.type]: {
          id: parts.graphMediaId,
          ...(content.caption === undefined ? {} : { caption: content.caption }),
          ...(content.type === 'document' && content.filename !== undefined ? { filename: content.filename } : {}),
        },
      };
    case 'audio':
    case 'sticker':
      return { ...base, type: content.type, [content.type]: { id: parts.graphMediaId } };
    case 'template':
      return {
        ...base,
        type: 'template',
        template: {
          name: content.name,
          language: { policy: 'deterministic', code: content.languageCode },
          components: withHeaderMediaId(content.components, parts.graphMediaId),
        },
      };
    case 'reaction':
      return { ...base, type: 'reaction', reaction: { message_id: content.targetWamid, emoji: content.emoji ?? '' } };
    case 'location':
    case 'contacts':
    case 'interactive_reply':
    case 'button':
    case 'order':
    case 'system':
    case 'revoke':
    case 'edit':
    case 'unsupported':
      throw new Error(`A ${content.type} message cannot be sent through the Cloud API by Sportello.`);
  }
}

type TemplateComponents = Extract<MessageContent, { type: 'template' }>['components'];
const HEADER_MEDIA = new Set(['image', 'video', 'document']);

/**
 * A template's media header from an upload is stored without an id (common/templates/template-parameters.ts):
 * it names the file the message carries, uploaded to Meta just before the send, by Meta's id.
 */
function withHeaderMediaId(components: TemplateComponents, graphMediaId: string | null): TemplateComponents {
  return components.map((component) => {
    if (component.type.toLowerCase() !== 'header' || component.parameters === undefined) return component;
    const parameters = component.parameters.map((parameter) => {
      const media = HEADER_MEDIA.has(parameter.type) ? (parameter[parameter.type] as Record<string, unknown> | undefined) : undefined;
      if (media === undefined || media.link !== undefined || media.id !== undefined) return parameter;
      if (graphMediaId === null) throw new Error('A template header names an upload, but the message carries no uploaded file.');
      return { ...parameter, [parameter.type]: { id: graphMediaId, ...media } };
    });
    return { ...component, parameters };
  });
}
