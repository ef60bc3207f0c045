/**
 * The client API's template routes (common/api/template-endpoints.ts), as main calls them: a
 * conversation's usable templates, and the review list and a sync for admins and supervisors.
 */
import type { ConversationTemplates, ManagedTemplates, TemplateSyncResult } from '../../common/api/template-endpoints.js';
import { CLIENT_API } from '../../common/api/client-api.js';
import { callJson } from './endpoint-request.js';
import type { HttpsTarget } from './https-json.js';

export function conversationTemplates(target: HttpsTarget, token: string, conversationId: number): Promise<ConversationTemplates> {
  return callJson(target, CLIENT_API.listConversationTemplates, { token, params: { id: conversationId } });
}

export function managedTemplates(target: HttpsTarget, token: string): Promise<ManagedTemplates> {
  return callJson(target, CLIENT_API.listManagedTemplates, { token });
}

export function syncTemplates(target: HttpsTarget, token: string): Promise<TemplateSyncResult> {
  return callJson(target, CLIENT_API.syncTemplates, { token });
}
