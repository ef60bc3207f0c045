/** The calls about personal data asked of a conversation's customer; online only (the server decides who may, audits a consent, and nothing of it is kept). */
import type { CoreContext, HandlerTable } from './core-context.js';

export type PersonalDataCall = 'conversationPersonalData' | 'recordConsent';

export function personalDataHandlers(core: CoreContext): HandlerTable<PersonalDataCall> {
  return {
    conversationPersonalData: ({ conversationId }) => core.inbox().call((token) => core.api().conversationPersonalData(token, conversationId)),
    recordConsent: ({ conversationId, consent, wording }) =>
      core.inbox().call((token) => core.api().recordConsent(token, conversationId, { consent, wording })),
  };
}
