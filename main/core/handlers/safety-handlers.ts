/** The safety policy's calls: the one this workstation holds (any signed-in agent), and an admin's read and change of it. */
import { CLIENT_API } from '../../../common/api/client-api.js';
import { callJson } from '../../connection/endpoint-request.js';
import { asAdmin } from './admin-handlers.js';
import type { CoreContext, HandlerTable } from './core-context.js';

export type SafetyCall = 'getSafetyPolicy' | 'adminGetSafetyPolicy' | 'adminSetSafetyPolicy';

export function safetyHandlers(core: CoreContext): HandlerTable<SafetyCall> {
  const admin = asAdmin(core);
  const target = () => core.api().target;
  return {
    getSafetyPolicy: () => core.inbox().safety.get(),
    adminGetSafetyPolicy: () => admin((token) => callJson(target(), CLIENT_API.getAdminSafetyPolicy, { token })),
    adminSetSafetyPolicy: async (change) => {
      const stored = await admin((token) => callJson(target(), CLIENT_API.setSafetyPolicy, { token, body: change }));
      // This workstation holds the new policy at once (the feed's event then finds it held).
      core.inbox().safety.refreshLater();
      return stored;
    },
  };
}
