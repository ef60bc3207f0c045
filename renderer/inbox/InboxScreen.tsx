import { useState } from 'react';
import { readsConversations } from '../../common/api/conversation-access.js';
import type { SignedInAgent } from '../../common/ipc/app-state.js';
import { AgentsPanel } from '../admin/AgentsPanel.js';
import { AuditPanel } from '../admin/AuditPanel.js';
import { DevicesPanel } from '../admin/DevicesPanel.js';
import { NumbersPanel } from '../admin/NumbersPanel.js';
import { SessionsPanel } from '../admin/SessionsPanel.js';
import { TeamsPanel } from '../admin/TeamsPanel.js';
import { RepliesSection } from '../admin/RepliesSection.js';
import { SafetyPanel } from '../admin/SafetyPanel.js';
import { BriefingPanel } from '../admin/BriefingPanel.js';
import { TemplatesPanel } from '../admin/TemplatesPanel.js';
import { AnalyticsPanel } from '../analytics/AnalyticsPanel.js';
import { ConversationsPane } from './ConversationsPane.js';
import { SupervisorPanel } from './desk/SupervisorPanel.js';
import { InboxHeader } from './InboxHeader.js';
import type { InboxSection } from './InboxHeader.js';
import { useMyStatus } from './presence/use-my-status.js';
import { SafetyPolicyProvider } from './safety/safety-policy-context.js';

/**
 * Signed in: conversations for agents and supervisors, the supervisor view for supervisors, analytics for supervisors and admins, and for admins the devices, agents, teams,
 * sessions, audit log, numbers, safety policy and security briefing screens, and for admins and supervisors the templates synced from Meta. An admin who is neither agent nor supervisor reads no
 * conversation.
 */
export function InboxScreen({ agent }: { agent: SignedInAgent }) {
  const reads = readsConversations(agent);
  const sections: InboxSection[] = [
    ...(reads ? (['conversations'] as const) : []),
    ...(agent.roles.includes('supervisor') ? (['supervision'] as const) : []),
    // Figures about teams, never customers' messages: supervisors (their teams) and administrators (every team).
    ...(agent.roles.includes('supervisor') || agent.roles.includes('admin') ? (['analytics'] as const) : []),
    ...(agent.roles.includes('admin') ? (['devices', 'agents', 'teams', 'sessions', 'audit', 'numbers', 'safety', 'briefing'] as const) : []),
    // Quick replies and labels: administrators keep the global ones, supervisors their teams'.
    ...(agent.roles.includes('admin') || agent.roles.includes('supervisor') ? (['replies', 'templates'] as const) : []),
  ];
  const [chosen, setSection] = useState<InboxSection>(sections[0] ?? 'conversations');
  const section = sections.includes(chosen) ? chosen : (sections[0] ?? 'conversations');
  const status = useMyStatus();
  return (
    <div className="inbox" data-screen="inbox">
      <InboxHeader agent={agent} sections={sections} section={section} onSection={setSection} status={status} />
      <main className="inbox-main">
        {/* Kept mounted while an admin screen is shown, so the list and the open conversation stay as they were. */}
        {reads ? (
          <div className="section-content" hidden={section !== 'conversations'}>
            <SafetyPolicyProvider>
              <ConversationsPane agent={agent} shown={section === 'conversations'} />
            </SafetyPolicyProvider>
          </div>
        ) : null}
        {section === 'supervision' ? <SupervisorPanel /> : null}
        {section === 'analytics' ? <AnalyticsPanel reads={reads} admin={agent.roles.includes('admin')} /> : null}
        {section === 'devices' ? <DevicesPanel /> : null}
        {section === 'agents' ? <AgentsPanel selfId={agent.id} /> : null}
        {section === 'teams' ? <TeamsPanel /> : null}
        {section === 'sessions' ? <SessionsPanel /> : null}
        {section === 'audit' ? <AuditPanel /> : null}
        {section === 'numbers' ? <NumbersPanel /> : null}
        {section === 'safety' ? <SafetyPanel /> : null}
        {section === 'briefing' ? <BriefingPanel /> : null}
        {section === 'replies' ? <RepliesSection /> : null}
        {section === 'templates' ? <TemplatesPanel /> : null}
      </main>
    </div>
  );
}
