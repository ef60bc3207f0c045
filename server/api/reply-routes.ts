/** The handlers of the client API's quick replies and labels (common/api/reply-endpoints.ts). */
import type { FastifyRequest } from 'fastify';
import type { REPLY_ENDPOINTS } from '../../common/api/reply-endpoints.js';
import { agentActor } from '../audit/actor.js';
import type { Labels } from '../replies/labels.js';
import type { QuickReplies } from '../replies/quick-replies.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { Handlers } from './api-route.js';

export interface ReplyRouteDeps {
  readonly quickReplies: QuickReplies;
  readonly labels: Labels;
}

const actorOf = (principal: SessionPrincipal, request: FastifyRequest) => agentActor(principal, request.ip);

export function replyHandlers(deps: ReplyRouteDeps): Handlers<typeof REPLY_ENDPOINTS> {
  const { quickReplies, labels } = deps;
  return {
    listQuickReplies: ({ principal }) => quickReplies.usable(principal),
    listLabels: ({ principal }) => labels.usable(principal),
    addConversationLabel: ({ params, body, principal, request }) => labels.addTo(principal, params.id, body.labelId, actorOf(principal, request)),
    removeConversationLabel: ({ params, principal, request }) => labels.removeFrom(principal, params.id, params.labelId, actorOf(principal, request)),
    listManagedQuickReplies: ({ principal }) => quickReplies.managed(principal),
    createQuickReply: ({ body, principal, request }) => quickReplies.create(principal, body, actorOf(principal, request)),
    updateQuickReply: ({ params, body, principal, request }) => quickReplies.update(principal, params.id, body, actorOf(principal, request)),
    removeQuickReply: async ({ params, principal, request }) => {
      await quickReplies.remove(principal, params.id, actorOf(principal, request));
      return undefined;
    },
    listManagedLabels: ({ principal }) => labels.managed(principal),
    createLabel: ({ body, principal, request }) => labels.create(principal, body, actorOf(principal, request)),
    updateLabel: ({ params, body, principal, request }) => labels.update(principal, params.id, body, actorOf(principal, request)),
    removeLabel: async ({ params, principal, request }) => {
      await labels.remove(principal, params.id, actorOf(principal, request));
      return undefined;
    },
  };
}
