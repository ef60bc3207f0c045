/** The agents screen: create one (with its one-time code), disable, unlock. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentView } from '../../common/api/admin.js';
import { useAction } from '../api/use-action.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { AdminTable } from './AdminTable.js';
import { CreateAgent } from './CreateAgent.js';
import { useLoaded } from './use-loaded.js';

function DisableAgentDialog({ agent, onDone, onCancel }: { agent: AgentView; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const disable = useAction(() => window.sportello.adminDisableAgent({ agentId: agent.id }), onDone);
  return (
    <Dialog
      title={t('agents.disableTitle', { name: agent.displayName })}
      confirmLabel={t('agents.disable')}
      onConfirm={() => void disable.run()}
      onCancel={onCancel}
      pending={disable.pending}
      destructive
    >
      <p>{t('agents.disableExplanation')}</p>
      <ErrorNotice problem={disable.failure} />
    </Dialog>
  );
}

interface AgentRowProps {
  readonly agent: AgentView;
  /** The signed-in admin's own row: the server refuses to disable oneself, so it is not offered. */
  readonly isSelf: boolean;
  readonly onDisable: (agent: AgentView) => void;
  readonly onChanged: () => void;
}

function AgentRow({ agent, isSelf, onDisable, onChanged }: AgentRowProps) {
  const { t } = useTranslation();
  const unlock = useAction(() => window.sportello.adminUnlockAgent({ agentId: agent.id }), onChanged);
  return (
    <tr>
      <td>{agent.displayName}</td>
      <td>
        <code>{agent.username}</code>
      </td>
      <td>{agent.roles.map((role) => t(`roles.${role}`)).join(', ')}</td>
      <td>
        <span className={`status status-${agent.status}`}>{t(`agents.statusValue.${agent.status}`)}</span>
        {agent.locked ? <span className="status status-locked">{t('agents.locked')}</span> : null}
      </td>
      <td className="row-actions">
        {agent.locked ? (
          <button
            type="button"
            className="button-secondary"
            onClick={() => void unlock.run()}
            disabled={unlock.pending}
            aria-label={t('agents.unlockNamed', { name: agent.displayName })}
          >
            {t('agents.unlock')}
          </button>
        ) : null}
        {agent.status === 'disabled' || isSelf ? null : (
          <button
            type="button"
            className="button-danger-quiet"
            onClick={() => onDisable(agent)}
            aria-label={t('agents.disableNamed', { name: agent.displayName })}
          >
            {t('agents.disable')}
          </button>
        )}
        <ErrorNotice problem={unlock.failure} />
      </td>
    </tr>
  );
}

export function AgentsPanel({ selfId }: { selfId: number }) {
  const { t } = useTranslation();
  const load = useCallback(() => window.sportello.adminListAgents({}), []);
  const agents = useLoaded(load);
  const [disabling, setDisabling] = useState<AgentView | null>(null);
  return (
    <div className="admin-screen">
      <h1 className="visually-hidden">{t('inbox.section.agents')}</h1>
      <CreateAgent onCreated={agents.reload} />
      <ErrorNotice problem={agents.failure} />
      <AdminTable title={t('agents.allTitle')} columns={[t('agents.displayName'), t('login.username'), t('agents.roles'), t('agents.status')]}>
        {(agents.value?.agents ?? []).map((agent) => (
          <AgentRow key={agent.id} agent={agent} isSelf={agent.id === selfId} onDisable={setDisabling} onChanged={agents.reload} />
        ))}
      </AdminTable>
      {disabling === null ? null : (
        <DisableAgentDialog
          agent={disabling}
          onCancel={() => setDisabling(null)}
          onDone={() => {
            setDisabling(null);
            agents.reload();
          }}
        />
      )}
    </div>
  );
}
