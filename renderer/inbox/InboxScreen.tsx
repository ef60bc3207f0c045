import { useState } from 'react';
import type { SignedInAgent } from '../../common/ipc/app-state.js';
import { AgentsPanel } from '../admin/AgentsPanel.js';
import { AuditPanel } from '../admin/AuditPanel.js';
import { DevicesPanel } from '../admin/DevicesPanel.js';
import { NumbersPanel } from '../admin/NumbersPanel.js';
import { SessionsPanel } from '../admin/SessionsPanel.js';
import { ConversationsPane } from './ConversationsPane.js';
import { InboxHeader } from './InboxHeader.js';
import type { InboxSection } from './InboxHeader.js';
import { useMyStatus } from './presence/use-my-status.js';

/** Signed in: conversations for everyone, and for admins the devices, agents, sessions, audit log and numbers screens. */
export function InboxScreen({ agent }: { agent: SignedInAgent }) {
  const sections: InboxSection[] = agent.role === 'admin' ? ['conversations', 'devices', 'agents', 'sessions', 'audit', 'numbers'] : ['conversations'];
  const [section, setSection] = useState<InboxSection>('conversations');
  const status = useMyStatus();
  return (
    <div className="inbox" data-screen="inbox">
      <InboxHeader agent={agent} sections={sections} section={section} onSection={setSection} status={status} />
      <main className="inbox-main">
        {/* Kept mounted while an admin screen is shown, so the list and the open conversation stay as they were. */}
        <div className="section-content" hidden={section !== 'conversations'}>
          <ConversationsPane agent={agent} />
        </div>
        {section === 'devices' ? <DevicesPanel /> : null}
        {section === 'agents' ? <AgentsPanel selfId={agent.id} /> : null}
        {section === 'sessions' ? <SessionsPanel /> : null}
        {section === 'audit' ? <AuditPanel /> : null}
        {section === 'numbers' ? <NumbersPanel /> : null}
      </main>
    </div>
  );
}
