/**
 * Message templates: the ones a conversation may be answered with (the picker), and for admins
 * and supervisors every template and a fetch from Meta now. Online only and never cached: the
 * server keeps them, judges who may read them, and tells of each change by the feed.
 */
import { conversationTemplates, managedTemplates, syncTemplates } from '../../connection/template-api.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type TemplateCall = 'listConversationTemplates' | 'listManagedTemplates' | 'syncTemplates';

export function templateHandlers(core: CoreContext): HandlerTable<TemplateCall> {
  const target = () => core.api().target;
  return {
    listConversationTemplates: ({ conversationId }) => core.inbox().call((token) => conversationTemplates(target(), token, conversationId)),
    listManagedTemplates: () => core.inbox().call((token) => managedTemplates(target(), token)),
    syncTemplates: () => core.inbox().call((token) => syncTemplates(target(), token)),
  };
}
