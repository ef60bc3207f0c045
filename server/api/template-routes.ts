/** The handlers of the client API's template routes (common/api/template-endpoints.ts). */
import type { TEMPLATE_ENDPOINTS } from '../../common/api/template-endpoints.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { mayReviewTemplates } from '../../common/templates/template-access.js';
import type { TemplateLists } from '../templates/template-lists.js';
import type { TemplateSyncer } from '../templates/template-sync.js';
import type { Handlers } from './api-route.js';

export function templateHandlers(deps: { lists: TemplateLists; syncer: TemplateSyncer }): Handlers<typeof TEMPLATE_ENDPOINTS> {
  return {
    listConversationTemplates: ({ params, principal }) => deps.lists.ofConversation(principal, params.id),
    listManagedTemplates: ({ principal }) => deps.lists.managed(principal),
    syncTemplates: async ({ principal }) => {
      if (!mayReviewTemplates(principal)) throw new CodedError('forbidden_role', 'Only administrators and supervisors ask for a template sync.');
      return { syncs: await deps.syncer.syncNow() };
    },
  };
}
