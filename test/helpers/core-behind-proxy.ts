/**
 * The real client core in this process, reaching a TLS test server through a proxy the test can
 * cut or refuse, with the waits its tests share: a screen, the connection, the first load.
 */
import type { AppState, ConnectionState } from '../../common/ipc/app-state.js';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { makeTestPlatform } from './node-platform.js';
import { eventually } from './store-queries.js';
import { TcpProxy } from './tcp-proxy.js';
import type { TestServer } from './test-server.js';

export interface CoreBehindProxy {
  readonly core: ClientCore;
  readonly network: TcpProxy;
  /** An IPC call as the renderer makes it; a refusal throws with its code. */
  readonly call: <T = unknown>(name: string, request?: unknown) => Promise<T>;
  readonly waitFor: (screen: AppState['screen']) => Promise<AppState>;
  readonly untilConnection: (online: boolean) => Promise<void>;
  /** The first load after sign-in ends with a resync for the renderer to reload from the cache. */
  readonly untilFirstLoad: () => Promise<void>;
}

/** Started, with its cleanups (core, platform, proxy) pushed onto `cleanups` for the test's afterEach. */
export async function startCoreBehindProxy(t: TestServer, cleanups: Array<() => Promise<void> | void>): Promise<CoreBehindProxy> {
  if (t.certificate === undefined) throw new Error('the test server must run TLS: the core pins its certificate');
  const network = await TcpProxy.start(Number(new URL(t.server.url).port));
  cleanups.push(() => network.close());
  const platform = makeTestPlatform();
  cleanups.push(() => platform.remove());
  platform.writeProvisioning({ serverUrl: `https://127.0.0.1:${network.port}`, spkiSha256: [t.certificate.spkiSha256] });
  const core = new ClientCore(platform, { pairingPollMs: 100, reconnectBackoffMs: 50 });
  cleanups.push(() => core.stop());
  let connection: ConnectionState['status'] = 'offline';
  let loaded = false;
  core.onEvent((event, payload) => {
    if (event === 'connection') connection = (payload as ConnectionState).status;
    if (event === 'inbox' && (payload as IpcEventPayload<'inbox'>).type === 'resync') loaded = true;
  });
  await core.start();
  return {
    core,
    network,
    call: async <T>(name: string, request: unknown = {}): Promise<T> => {
      const result = await dispatchIpc(core, name, request);
      if (!result.ok) throw new Error(`${name}: ${result.code} ${result.message}`);
      return result.value as T;
    },
    waitFor: (screen) => eventually(() => Promise.resolve(core.state.screen === screen ? core.state : undefined), 10_000, screen),
    untilConnection: async (online) => {
      await eventually(() => Promise.resolve((connection === 'online') === online ? true : undefined), 10_000, online ? 'online' : 'offline');
    },
    untilFirstLoad: async () => {
      await eventually(() => Promise.resolve(loaded ? true : undefined), 10_000, 'the first load');
    },
  };
}
