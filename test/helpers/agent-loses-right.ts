/**
 * The two ways a signed-in workstation learns that its agent lost their right (an admin disabled
 * them, or reset their authenticator): over the live event socket, or at its next contact after
 * being offline as it happened. Both with a policy that keeps a logged-out cache, so only the
 * agent's lost right can explain an erased one.
 */
import { expect } from 'vitest';
import { customer, customerWrites } from './conversations.js';
import { eventually } from './store-queries.js';
import type { TestServer } from './test-server.js';
import { CACHE_DB, DEVICE_KEY_FILE, LOCAL_SECRET_FILE, SHARE_FILE } from './workstation-under-test.js';
import type { Workstation, WorkstationScene } from './workstation-under-test.js';

/** What an admin does to the agent on the server. */
export type AgentAction = (t: TestServer, agentId: number) => Promise<unknown>;

/** Signed in with a customer's conversation in the cache; the admin acts; the workstation is back on the sign-in screen. */
export async function agentLosesRightLive(scene: WorkstationScene, username: string, act: AgentAction): Promise<Workstation> {
  const server = await scene.server({ policy: { keepCacheOnLogout: true } });
  const ws = scene.install(server);
  const { agentId } = await ws.startSignedIn(server.t, username);
  const written = await customerWrites(server.t, customer(server.t, 0), 'Il mio ordine non è arrivato');
  await eventually(
    async () =>
      ((await ws.call('listConversations', { filter: 'all' })) as { items: Array<{ id: number }> }).items.some((item) => item.id === written.conversationId) ||
      undefined,
    10_000,
    'the cached conversation',
  );
  expect(ws.files()).toEqual(expect.arrayContaining([CACHE_DB, SHARE_FILE, LOCAL_SECRET_FILE, DEVICE_KEY_FILE]));

  await act(server.t, agentId);

  await ws.waitFor('signed_out');
  return ws;
}

/** Signed in; the network goes; the admin acts; the network comes back; the workstation is back on the sign-in screen. */
export async function agentLosesRightOffline(scene: WorkstationScene, username: string, act: AgentAction): Promise<Workstation> {
  const server = await scene.server({ policy: { keepCacheOnLogout: true }, behindProxy: true });
  const ws = scene.install(server);
  const { agentId } = await ws.startSignedIn(server.t, username);
  const network = server.proxy;
  if (network === undefined) throw new Error('expected a proxy');

  network.refuse(true);
  await ws.waitConnection('offline');
  await act(server.t, agentId);
  expect(ws.files()).toEqual(expect.arrayContaining([CACHE_DB, SHARE_FILE, LOCAL_SECRET_FILE]));
  network.refuse(false);

  await ws.waitFor('signed_out');
  return ws;
}
