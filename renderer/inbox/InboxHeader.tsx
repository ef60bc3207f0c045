/** The inbox's top bar: sections, the server link's state, who is signed in, available or away, the time zone, lock and sign out. */
import { useTranslation } from 'react-i18next';
import { readsConversations } from '../../common/api/conversation-access.js';
import type { SignedInAgent } from '../../common/ipc/app-state.js';
import { useAction } from '../api/use-action.js';
import { useShowState } from '../app/app-state-context.js';
import { AppHeader } from '../components/AppHeader.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { AvailabilityControl } from './presence/AvailabilityControl.js';
import type { MyStatusState } from './presence/use-my-status.js';
import { useConnection } from './use-connection.js';

export type InboxSection =
  | 'conversations'
  | 'supervision'
  | 'analytics'
  | 'devices'
  | 'agents'
  | 'teams'
  | 'sessions'
  | 'audit'
  | 'numbers'
  | 'safety'
  | 'briefing'
  | 'replies'
  | 'templates';

interface InboxHeaderProps {
  readonly agent: SignedInAgent;
  readonly sections: readonly InboxSection[];
  readonly section: InboxSection;
  readonly onSection: (section: InboxSection) => void;
  readonly status: MyStatusState;
}

function ConnectionBadge() {
  const { t } = useTranslation();
  const status = useConnection();
  if (status === null) return null;
  return (
    <span className={`connection connection-${status}`} role="status">
      {t(`connection.${status}`)}
    </span>
  );
}

export function InboxHeader({ agent, sections, section, onSection, status }: InboxHeaderProps) {
  const { t } = useTranslation();
  const showState = useShowState();
  const lock = useAction(() => window.sportello.lock({}), showState);
  const logout = useAction(() => window.sportello.logout({}), showState);
  return (
    <AppHeader>
      {sections.length > 1 ? (
        <nav className="sections" aria-label={t('inbox.sectionsLabel')}>
          {sections.map((option) => (
            <button key={option} type="button" className="section-tab" aria-current={option === section ? 'page' : undefined} onClick={() => onSection(option)}>
              {option === 'templates' ? t('templates.section') : t(`inbox.section.${option}`)}
            </button>
          ))}
        </nav>
      ) : null}
      <ConnectionBadge />
      <div className="me">
        <span className="signed-in">
          {agent.displayName} <span className="role-badge">{agent.roles.map((role) => t(`roles.${role}`)).join(' · ')}</span>
        </span>
        <AvailabilityControl state={status} takesConversations={readsConversations(agent)} />
      </div>
      <button type="button" className="button-secondary" onClick={() => void lock.run()} disabled={lock.pending}>
        {t('inbox.lock')}
      </button>
      <button type="button" className="button-secondary" onClick={() => void logout.run()} disabled={logout.pending}>
        {t('inbox.signOut')}
      </button>
      <ErrorNotice problem={lock.failure ?? logout.failure} />
    </AppHeader>
  );
}
