import type { Migration } from 'kysely';
import * as inbox from './0001-inbox.js';
import * as identity from './0003-identity.js';
import * as feedAssignment from './0004-feed-assignment.js';
import * as mediaOwnership from './0005-media-ownership.js';
import * as credentialGuessing from './0006-credential-guessing.js';
import * as retiredDeviceKeys from './0007-retired-device-keys.js';
import * as pairingSources from './0008-pairing-sources.js';
import * as auditChainKeyed from './0010-audit-chain-keyed.js';
import * as businessNumbers from './0012-business-numbers.js';
import * as teams from './0013-teams.js';
import * as jobsAndPresence from './0014-jobs-and-presence.js';
import * as notes from './0015-notes.js';
import * as conversationLifecycle from './0016-conversation-lifecycle.js';
import * as routingRules from './0017-routing-rules.js';
import * as assignment from './0018-assignment.js';
import * as handover from './0019-handover.js';
import * as quickRepliesAndLabels from './0020-quick-replies-and-labels.js';
import * as businessHours from './0021-business-hours.js';
import * as queuedAt from './0022-queued-at.js';
import * as declinedBy from './0023-declined-by.js';
import * as safetyPolicy from './0024-safety-policy.js';
import * as customerBlocks from './0025-customer-blocks.js';
import * as historyTeamName from './0026-history-team-name.js';
import * as mediaScans from './0027-media-scans.js';
import * as paymentLinks from './0028-payment-links.js';
import * as personalDataRequests from './0029-personal-data-requests.js';
import * as groupContacts from './0030-group-contacts.js';
import * as briefing from './0031-briefing.js';
import * as messageTemplates from './0032-message-templates.js';
import * as scheduledMessages from './0033-scheduled-messages.js';
import * as scheduledSendKey from './0034-scheduled-send-key.js';
import * as analytics from './0035-analytics.js';
import * as replicas from './0036-replicas.js';

/**
 * Every migration, in order. Names are sortable and never change once released; a migration
 * that has run is never edited, a new one is added instead.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-inbox': inbox,
  '0003-identity': identity,
  '0004-feed-assignment': feedAssignment,
  '0005-media-ownership': mediaOwnership,
  '0006-credential-guessing': credentialGuessing,
  '0007-retired-device-keys': retiredDeviceKeys,
  '0008-pairing-sources': pairingSources,
  '0010-audit-chain-keyed': auditChainKeyed,
  '0012-business-numbers': businessNumbers,
  '0013-teams': teams,
  '0014-jobs-and-presence': jobsAndPresence,
  '0015-notes': notes,
  '0016-conversation-lifecycle': conversationLifecycle,
  '0017-routing-rules': routingRules,
  '0018-assignment': assignment,
  '0019-handover': handover,
  '0020-quick-replies-and-labels': quickRepliesAndLabels,
  '0021-business-hours': businessHours,
  '0022-queued-at': queuedAt,
  '0023-declined-by': declinedBy,
  '0024-safety-policy': safetyPolicy,
  '0025-customer-blocks': customerBlocks,
  '0026-history-team-name': historyTeamName,
  '0027-media-scans': mediaScans,
  '0028-payment-links': paymentLinks,
  '0029-personal-data-requests': personalDataRequests,
  '0030-group-contacts': groupContacts,
  '0031-briefing': briefing,
  '0032-message-templates': messageTemplates,
  '0033-scheduled-messages': scheduledMessages,
  '0034-scheduled-send-key': scheduledSendKey,
  '0035-analytics': analytics,
  '0036-replicas': replicas,
};
