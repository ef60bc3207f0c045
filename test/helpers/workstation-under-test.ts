/**
 * A workstation for the revocation and lease tests: the real client core on a test platform whose
 * clocks the test may set (the wall clock, and the monotonic one that only moves forward), started
 * and stopped again on the same install as a quit and a restart would, against a real server on
 * loopback (through a TCP proxy when the test must take the network away), with a way to list what
 * the install keeps in its user-data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { AppState } from '../../common/ipc/app-state.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { ClientCore } from '../../main/core/client-core.js';
import type { ClientCoreOptions } from '../../main/core/client-core.js';
import type { DeviceState } from '../../common/api/pairing.js';
import { pinnedAgent } from '../../main/connection/pinned-agent.js';
import { ServerApi } from '../../main/connection/server-api.js';
import { DeviceKey } from '../../main/device/device-key.js';
import { appScopedMachineId } from '../../main/device/machine-id.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import type { ClientPolicy } from '../../server/config/load-config.js';
import { pairAndEnroll } from './core-enrollment.js';
import { makeTestPlatform } from './node-platform.js';
import { eventually } from './store-queries.js';
import { TcpProxy } from './tcp-proxy.js';
import { startTestServer } from './test-server.js';
import type { TestServer, TestServerOptions } from './test-server.js';

/** What a signed-in workstation keeps, relative to its user-data directory. */
export const CACHE_DB = 'cache/cache.db';
export const SHARE_FILE = 'secrets/cache-share.sealed';
export const LOCAL_SECRET_FILE = 'secrets/cache-local-secret.sealed';
export const DEVICE_KEY_FILE = 'secrets/device-key.sealed';
/** Which OS secret store sealed the files beside it (main/secrets/sealing-backend.ts). */
export const SEALED_BY_FILE = 'secrets/sealed-by.json';

/** Clocks a test moves by hand; `wallOffsetMs` shifts the real wall clock (setting the clock back is negative). */
export interface TestClocks {
  wallOffsetMs: number;
  monotonicMs: number;
}

export interface ServerForWorkstations {
  readonly t: TestServer;
  /** Set when asked for: the network between the workstations and the server. */
  readonly proxy: TcpProxy | undefined;
  readonly provisioning: { serverUrl: string; spkiSha256: string[] };
  close(): Promise<void>;
}

export async function serverForWorkstations(
  options: { policy?: Partial<ClientPolicy>; behindProxy?: boolean; server?: Pick<TestServerOptions, 'scanner' | 'scanning' | 'safetyDefaults'> } = {},
): Promise<ServerForWorkstations> {
  const t = await startTestServer({ ...options.server, tls: true, policy: options.policy });
  if (t.certificate === undefined) throw new Error('expected TLS');
  const proxy = options.behindProxy === true ? await TcpProxy.start(Number(new URL(t.server.url).port)) : undefined;
  const serverUrl = proxy === undefined ? t.server.url : `https://127.0.0.1:${proxy.port}`;
  return {
    t,
    proxy,
    provisioning: { serverUrl, spkiSha256: [t.certificate.spkiSha256] },
    async close() {
      await proxy?.close();
      await t.close();
    },
  };
}

export class Workstation {
  readonly platform: ReturnType<typeof makeTestPlatform>;
  readonly clocks: TestClocks = { wallOffsetMs: 0, monotonicMs: 0 };
  readonly #coreOptions: ClientCoreOptions;
  #core: ClientCore | undefined;

  /** A fresh install (or `sameMachineAs`'s machine with an install of its own), provisioned for `server`. */
  constructor(server: ServerForWorkstations, options: { coreOptions?: ClientCoreOptions; sameMachineAs?: Workstation } = {}) {
    const base = makeTestPlatform(
      options.sameMachineAs === undefined
        ? {}
        : { install: { ...options.sameMachineAs.platform.install, dir: `${options.sameMachineAs.platform.install.dir}-second-install` } },
    );
    this.platform = { ...base, now: () => Date.now() + this.clocks.wallOffsetMs, monotonicNow: () => this.clocks.monotonicMs };
    this.platform.writeProvisioning(server.provisioning);
    this.#coreOptions = { pairingPollMs: 50, reconnectBackoffMs: 50, ...options.coreOptions };
  }

  get core(): ClientCore {
    if (this.#core === undefined) throw new Error('the workstation is not running');
    return this.#core;
  }

  /** The app-scoped machine ID IT registers (the same for every install on this machine). */
  get machineId(): string {
    return appScopedMachineId(this.platform.install.rawMachineId);
  }

  get state(): AppState {
    return this.core.state;
  }

  /** Starts the app (again, on the same install after a stop). */
  async start(): Promise<void> {
    if (this.#core !== undefined) throw new Error('already running');
    this.#core = new ClientCore(this.platform, this.#coreOptions);
    await this.#core.start();
  }

  /** Quits the app as the shell does: the core stops. */
  async stop(): Promise<void> {
    const core = this.#core;
    this.#core = undefined;
    await core?.stop();
  }

  async call(name: string, request: unknown = {}): Promise<unknown> {
    const result = await dispatchIpc(this.core, name, request);
    if (!result.ok) throw new Error(`${name}: ${result.code} ${result.message}`);
    return result.value;
  }

  waitFor(screen: AppState['screen'], timeoutMs = 10_000): Promise<AppState> {
    return eventually(
      () => Promise.resolve(this.#core?.state.screen === screen ? this.#core.state : undefined),
      timeoutMs,
      `the ${screen} screen (now ${this.#core?.state.screen})`,
    );
  }

  /** Pairs (IT approving) and enrolls a new agent through the core's own calls: the inbox is open. */
  pairAndEnroll(t: TestServer, username: string): Promise<{ secret: string; agentId: number }> {
    return pairAndEnroll(
      t,
      (name, request) => this.call(name, request),
      (screen) => this.waitFor(screen),
      username,
    );
  }

  /** Starts the app on a fresh install, pairs it, enrolls `username` and waits for the event socket: the inbox is live. */
  async startSignedIn(t: TestServer, username: string): Promise<{ secret: string; agentId: number }> {
    await this.start();
    const enrolled = await this.pairAndEnroll(t, username);
    await this.waitConnection('online');
    return enrolled;
  }

  /** Waits until the core's link to the server is in `status`. */
  async waitConnection(status: 'online' | 'connecting' | 'offline'): Promise<void> {
    await eventually(
      async () => {
        const connection = await dispatchIpc(this.core, 'getConnection', {});
        return connection.ok && (connection.value as { status: string }).status === status ? true : undefined;
      },
      10_000,
      `the connection ${status}`,
    );
  }

  /** Every file under the user-data directory, relative to it, sorted. */
  files(): string[] {
    return filesUnder(this.platform.userDataDir);
  }

  /** The install's sealed files, opened with its keyring (what the OS user could do). */
  sealed(): SealedFiles {
    return new SealedFiles(path.join(this.platform.userDataDir, 'secrets'), this.platform.secrets);
  }

  cacheSecrets(): CacheSecrets {
    return new CacheSecrets(this.sealed());
  }

  /** The install's device key as it is on disk (for a test acting with it at the server). */
  deviceKey(): DeviceKey {
    if (!this.files().includes(DEVICE_KEY_FILE)) throw new Error('this install has no device key on disk');
    return DeviceKey.loadOrCreate(this.sealed());
  }

  /** Asks the server what it knows of this install's key, as the app's start-up check does (the app itself not running). */
  async askDeviceStatus(server: ServerForWorkstations): Promise<DeviceState> {
    const agent = pinnedAgent(server.provisioning.spkiSha256);
    try {
      const api = new ServerApi(
        { baseUrl: server.provisioning.serverUrl, agent, clientVersion: this.platform.machine.appVersion() },
        this.machineId,
        this.deviceKey(),
      );
      return await api.deviceStatus();
    } finally {
      agent.destroy();
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.platform.remove();
  }
}

export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found.sort();
}

/** The files under `dir` whose bytes contain `text` (plain, as UTF-8). */
export function filesContaining(dir: string, text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  return filesUnder(dir).filter((file) => fs.readFileSync(path.join(dir, file)).includes(needle));
}

export interface WorkstationScene {
  server(options?: Parameters<typeof serverForWorkstations>[0]): Promise<ServerForWorkstations>;
  install(server: ServerForWorkstations, options?: ConstructorParameters<typeof Workstation>[1]): Workstation;
}

/** Makes servers and installs for a test file, and disposes of them after each test. */
export function workstationScene(): WorkstationScene {
  let server: ServerForWorkstations | undefined;
  const installs: Workstation[] = [];
  afterEach(async () => {
    for (const install of installs.splice(0)) await install.dispose();
    await server?.close();
    server = undefined;
  });
  return {
    async server(options) {
      server = await serverForWorkstations(options);
      return server;
    },
    install(forServer, options) {
      const install = new Workstation(forServer, options);
      installs.push(install);
      return install;
    },
  };
}
