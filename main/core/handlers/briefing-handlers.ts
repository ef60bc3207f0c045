/**
 * The security briefing's calls: where the signed-in agent stands with it and their acknowledgement
 * (the briefing screen, before the inbox opens), and an admin's publishing and overview.
 */
import { CLIENT_API } from '../../../common/api/client-api.js';
import type { AgentBriefingView } from '../../../common/briefing/briefing.js';
import { CodedError } from '../../../common/errors/coded-error.js';
import { callJson } from '../../connection/endpoint-request.js';
import type { ServerApi } from '../../connection/server-api.js';
import type { AgentSession } from '../agent-session.js';
import { asAdmin } from './admin-handlers.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type BriefingCall = 'getBriefing' | 'acknowledgeBriefing' | 'adminGetBriefing' | 'adminPublishBriefing' | 'adminListBriefingAcknowledgements';

/** Where the session's agent stands with the briefing; undefined when the server could not say (its inbox routes still refuse when they must). */
export async function briefingOf(session: AgentSession, target: ServerApi['target']): Promise<AgentBriefingView | undefined> {
  try {
    return await session.withToken((token) => callJson(target, CLIENT_API.getBriefing, { token }));
  } catch (error) {
    session.react(error);
    return undefined;
  }
}

export function briefingHandlers(core: CoreContext): HandlerTable<BriefingCall> {
  const admin = asAdmin(core);
  const target = () => core.api().target;
  const signedIn = (): AgentSession => {
    core.require(['briefing', 'inbox']);
    const session = core.session();
    if (session === undefined) throw new CodedError('not_allowed_now', 'Nobody is signed in.');
    return session;
  };
  return {
    getBriefing: () => signedIn().call((token) => callJson(target(), CLIENT_API.getBriefing, { token })),
    acknowledgeBriefing: async (request) => {
      core.require(['briefing']);
      const briefing = await signedIn().call((token) => callJson(target(), CLIENT_API.acknowledgeBriefing, { token, body: request }));
      core.briefingAcknowledged(briefing);
      return briefing;
    },
    adminGetBriefing: () => admin((token) => callJson(target(), CLIENT_API.getAdminBriefing, { token })),
    adminPublishBriefing: (request) => admin((token) => callJson(target(), CLIENT_API.publishBriefing, { token, body: request })),
    adminListBriefingAcknowledgements: () => admin((token) => callJson(target(), CLIENT_API.listBriefingAcknowledgements, { token })),
  };
}
