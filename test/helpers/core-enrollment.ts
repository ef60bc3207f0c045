/** A workstation's core brought to the inbox through its own calls; IT's part done with the server's services. */
import type { AppState } from '../../common/ipc/app-state.js';
import type { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { acknowledgeTheBriefing, IT, totpNow } from './identity-setup.js';
import { eventually } from './store-queries.js';
import { secretOfUri } from './test-device.js';
import type { TestServer } from './test-server.js';

export const CORE_AGENT_PASSWORD = 'amber harbour lantern 7';

/** A core's IPC calls (a failure throws, naming its code) and a wait for one of its screens. */
export function coreDriver(core: ClientCore) {
  const call = async (name: string, request: unknown = {}) => {
    const result = await dispatchIpc(core, name, request);
    if (!result.ok) throw new Error(`${name}: ${result.code} ${result.message}`);
    return result.value;
  };
  const waitFor = (screen: AppState['screen']) => eventually(() => Promise.resolve(core.state.screen === screen ? core.state : undefined), 10_000, screen);
  return { call, waitFor };
}

/** Pairs and enrolls through a core's own calls (IT approves with the server's services). */
export async function pairAndEnroll(
  t: TestServer,
  call: (name: string, request?: unknown) => Promise<unknown>,
  waitFor: (screen: AppState['screen']) => Promise<AppState>,
  username: string,
  role: 'agent' | 'supervisor' = 'supervisor',
  /**
   * `displayName`: the username unless given; `teamIds`: the teams to join (default: the default team);
   * `capacity`: theirs in each of those teams before they first connect (0: routing gives them nothing).
   */
  options: { readonly displayName?: string; readonly teamIds?: readonly number[]; readonly capacity?: number } = {},
) {
  const { displayName = username, teamIds, capacity } = options;
  const unpaired = (await waitFor('unpaired')) as Extract<AppState, { screen: 'unpaired' }>;
  if (unpaired.machineId === null) throw new Error('the workstation has no machine ID to register');
  await t.server.identity.devices.allow([{ machineId: unpaired.machineId, label: 'Desk' }], IT, 'single');
  const pairing = (await call('startPairing')) as Extract<AppState, { screen: 'pairing' }>;
  await t.server.identity.pairing.approve(pairing.code.replace('-', ''), IT);
  await waitFor('signed_out');
  const issued = await t.server.identity.agents.create(
    { username, displayName, roles: [role], ...(teamIds === undefined ? {} : { teamIds: [...teamIds] }) },
    IT,
  );
  await acknowledgeTheBriefing(t, { agentId: issued.agent.id, username });
  if (capacity !== undefined) await t.server.database.db.updateTable('team_members').set({ capacity }).where('agent_id', '=', issued.agent.id).execute();
  const enrolling = (await call('startEnrollment', { username, enrollmentCode: issued.enrollmentCode, newPassword: CORE_AGENT_PASSWORD })) as Extract<
    AppState,
    { screen: 'enrolling'; step: 'authenticator' }
  >;
  const secret = secretOfUri(enrolling.otpauthUri);
  const confirmed = (await call('confirmEnrollment', { code: await totpNow(secret) })) as Extract<AppState, { screen: 'enrolling'; step: 'recovery_codes' }>;
  await call('finishEnrollment');
  return { secret, agentId: issued.agent.id, recoveryCodes: confirmed.recoveryCodes };
}
