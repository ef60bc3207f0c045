/**
 * The real client core in this process, reaching a TLS test server through a proxy the test can
 * cut or refuse, with the waits its tests share: a screen, the connection, the first load; and
 * what it lists, online or (with the server out of reach) from its cache alone.
 * Everything it makes is cleaned up by the `cleanups` the caller runs.
 */
import type { ConversationFilter, ConversationPage } from '../../common/api/inbox.js';
import type { AppState, ConnectionState } from '../../common/ipc/app-state.js';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { ClientCore } from '../../main/core/client-core.js';
import type { ClientCoreOptions } from '../../main/core/client-core.js';
import { coreDriver } from './core-enrollment.js';
import { makeTestPlatform } from './node-platform.js';
import type { TestPlatform } from './node-platform.js';
import { eventually } from './store-queries.js';
import { TcpProxy } from './tcp-proxy.js';
import { startTestServer } from './test-server.js';
import type { TestServer, TestServerOptions } from './test-server.js';

type Cleanups = Array<() => Promise<void> | void>;

export interface CoreBehindProxy {
  readonly core: ClientCore;
  /** Its user-data directory, keyring and recorded desktop (notifications). */
  readonly platform: TestPlatform;
  readonly network: TcpProxy;
  /** An IPC call as the renderer makes it; a refusal throws with its code. */
  readonly call: <T = unknown>(name: string, request?: unknown) => Promise<T>;
  readonly waitFor: (screen: AppState['screen']) => Promise<AppState>;
  readonly untilConnection: (online: boolean) => Promise<void>;
  /** The first load after sign-in ends with a resync for the renderer to reload from the cache. */
  readonly untilFirstLoad: () => Promise<void>;
  /** The ids of the open conversations it lists under `filter` (`all`: every one its agent may see), ascending. */
  readonly listed: (filter?: ConversationFilter) => Promise<number[]>;
  /**
   * Runs `read` with the server out of reach, so that only the workstation's cache answers it,
   * then lets it reconnect. Going offline is a change the server sees (the agent's presence, an
   * offline requeue's clock).
   */
  readonly whileOffline: <T>(read: () => Promise<T>) => Promise<T>;
}

/** A core (not started) on its own platform, provisioned for the proxy in front of `t`. */
function coreThroughProxy(
  t: TestServer,
  network: TcpProxy,
  cleanups: Cleanups,
  coreOptions: ClientCoreOptions = {},
): { platform: TestPlatform; core: ClientCore } {
  if (t.certificate === undefined) throw new Error('the test server must run TLS: the core pins its certificate');
  const platform = makeTestPlatform();
  cleanups.push(() => platform.remove());
  platform.writeProvisioning({ serverUrl: `https://127.0.0.1:${network.port}`, spkiSha256: [t.certificate.spkiSha256] });
  const core = new ClientCore(platform, { pairingPollMs: 100, reconnectBackoffMs: 50, ...coreOptions });
  cleanups.push(() => core.stop());
  return { platform, core };
}

async function proxyFor(t: TestServer, cleanups: Cleanups): Promise<TcpProxy> {
  const network = await TcpProxy.start(Number(new URL(t.server.url).port));
  cleanups.push(() => network.close());
  return network;
}

/** A TLS test server of its own and a core in front of it, not started. */
export async function coreBehindProxy(
  cleanups: Cleanups,
  serverOptions: TestServerOptions = {},
  coreOptions: ClientCoreOptions = {},
): Promise<{ t: TestServer; network: TcpProxy; platform: TestPlatform; core: ClientCore }> {
  const t = await startTestServer({ ...serverOptions, tls: true });
  cleanups.push(() => t.close());
  const network = await proxyFor(t, cleanups);
  return { t, network, ...coreThroughProxy(t, network, cleanups, coreOptions) };
}

/** Started, with its cleanups (core, platform, proxy) pushed onto `cleanups` for the test's afterEach. */
export async function startCoreBehindProxy(t: TestServer, cleanups: Cleanups): Promise<CoreBehindProxy> {
  const network = await proxyFor(t, cleanups);
  const { platform, core } = coreThroughProxy(t, network, cleanups);
  let connection: ConnectionState['status'] = 'offline';
  let loaded = false;
  core.onEvent((event, payload) => {
    if (event === 'connection') connection = (payload as ConnectionState).status;
    if (event === 'inbox' && (payload as IpcEventPayload<'inbox'>).type === 'resync') loaded = true;
  });
  await core.start();
  const { call, waitFor } = coreDriver(core);
  const untilConnection = async (online: boolean) => {
    await eventually(() => Promise.resolve((connection === 'online') === online ? true : undefined), 10_000, online ? 'online' : 'offline');
  };
  return {
    core,
    platform,
    network,
    call: <T>(name: string, request?: unknown) => call(name, request) as Promise<T>,
    waitFor,
    untilConnection,
    untilFirstLoad: async () => {
      await eventually(() => Promise.resolve(loaded ? true : undefined), 10_000, 'the first load');
    },
    listed: async (filter = 'all') => {
      const page = (await call('listConversations', { filter, limit: 50 })) as ConversationPage;
      return page.items.map((item) => item.id).sort((a, b) => a - b);
    },
    whileOffline: async (read) => {
      network.refuse(true);
      try {
        await untilConnection(false);
        return await read();
      } finally {
        network.refuse(false);
        await untilConnection(true);
      }
    },
  };
}
