/**
 * The real stack behind the renderer: an inbox server with the sandbox on loopback over HTTPS,
 * and the main-process core on a Node test platform, provisioned with that server's URL and
 * certificate pin as IT would provision a workstation. More workstations can join the same server.
 */
import type { AppState } from '../../../common/ipc/app-state.js';
import type { ClientCoreOptions } from '../../../main/core/client-core.js';
import { ClientCore } from '../../../main/core/client-core.js';
import { dispatchIpc } from '../../../main/ipc/ipc-dispatch.js';
import { IT } from '../../helpers/identity-setup.js';
import { runEvery } from '../../helpers/run-every.js';
import { makeTestPlatform } from '../../helpers/node-platform.js';
import type { TestPlatform } from '../../helpers/node-platform.js';
import { TcpProxy } from '../../helpers/tcp-proxy.js';
import { startTestServer } from '../../helpers/test-server.js';
import type { TestServer, TestServerOptions } from '../../helpers/test-server.js';

export interface Workstation {
  readonly platform: TestPlatform;
  readonly core: ClientCore;
  close(): Promise<void>;
}

export interface ClientStack extends Workstation {
  readonly t: TestServer;
  /** The network between workstation and server, when the stack was started `throughProxy`. */
  readonly network: TcpProxy | undefined;
}

export interface WorkstationOptions {
  readonly hostname?: string;
  readonly locale?: string;
  /** The OS machine ID: the same one again is the same machine with a fresh install (a new key). */
  readonly rawMachineId?: string;
  /** What IT deployed: the server's file (the default), none, or one naming a server that does not answer. */
  readonly provisioning?: 'server' | 'missing' | 'unreachable';
  /** Where the provisioned server answers, when not at its own address (through a proxy). */
  readonly serverUrl?: string;
  readonly core?: ClientCoreOptions;
}

export interface ClientStackOptions extends WorkstationOptions {
  readonly server?: TestServerOptions;
  /** Reach the server through a TcpProxy the test can slow down, cut or refuse. */
  readonly throughProxy?: boolean;
}

/** Quick polls and retries: the journey waits on them, and loopback answers at once. */
const BRISK_CORE: ClientCoreOptions = { pairingPollMs: 100, idleCheckMs: 100, reconnectBackoffMs: 100 };
/** A loopback port nothing listens on. */
const DEAD_SERVER_URL = 'https://127.0.0.1:9';

export async function startWorkstation(t: TestServer, options: WorkstationOptions = {}): Promise<Workstation> {
  if (t.certificate === undefined) throw new Error('the test server must run TLS: workstations pin its certificate');
  const platform = makeTestPlatform({ hostname: options.hostname ?? 'reception-01', locale: options.locale ?? 'en-GB', rawMachineId: options.rawMachineId });
  const provisioning = options.provisioning ?? 'server';
  if (provisioning !== 'missing') {
    platform.writeProvisioning({
      serverUrl: provisioning === 'server' ? (options.serverUrl ?? t.server.url) : DEAD_SERVER_URL,
      spkiSha256: [t.certificate.spkiSha256],
    });
  }
  let core: ClientCore;
  try {
    core = new ClientCore(platform, { ...BRISK_CORE, ...options.core });
    await core.start();
  } catch (error) {
    platform.remove();
    throw error;
  }
  return {
    platform,
    core,
    close: () => runEvery([() => core.stop(), () => platform.remove()]),
  };
}

export async function startClientStack(options: ClientStackOptions = {}): Promise<ClientStack> {
  const t = await startTestServer({ tls: true, statusDelaysMs: { sent: 50, delivered: 100, read: 150 }, ...options.server });
  let network: TcpProxy | undefined;
  let workstation: Workstation;
  try {
    network = options.throughProxy === true ? await TcpProxy.start(Number(new URL(t.server.url).port)) : undefined;
    workstation = await startWorkstation(t, network === undefined ? options : { ...options, serverUrl: `https://127.0.0.1:${network.port}` });
  } catch (error) {
    await runEvery([() => network?.close(), () => t.close()]);
    throw error;
  }
  return {
    ...workstation,
    t,
    network,
    close: () => runEvery([() => workstation.close(), () => network?.close(), () => t.close()]),
  };
}

export type PairingState = Extract<AppState, { screen: 'pairing' }>;

/** IT registers the workstation's machine ID, and the workstation asks to pair (its Pair button, through main). */
export async function workstationAsksToPair(t: TestServer, workstation: Workstation, label: string): Promise<PairingState> {
  const unpaired = workstation.core.state;
  if (unpaired.screen !== 'unpaired' || unpaired.machineId === null)
    throw new Error(`the workstation is on ${unpaired.screen}, not unpaired with a machine ID`);
  await t.server.identity.devices.allow([{ machineId: unpaired.machineId, label }], IT, 'single');
  await dispatchIpc(workstation.core, 'startPairing', {});
  const pairing = workstation.core.state;
  if (pairing.screen !== 'pairing') throw new Error(`the workstation is on ${pairing.screen}, not pairing`);
  return pairing;
}

/** Waits for a workstation's core to reach a screen (its polls and the server run on their own). */
export async function untilScreen(workstation: Workstation, screen: AppState['screen']): Promise<void> {
  for (let attempt = 0; attempt < 200 && workstation.core.state.screen !== screen; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  if (workstation.core.state.screen !== screen) throw new Error(`the workstation stayed on ${workstation.core.state.screen}, never reached ${screen}`);
}

/**
 * Sportello installed afresh on a machine that already has a paired install (the same OS machine
 * ID, a new key) asks to pair. The caller closes the workstation.
 */
export async function reinstallAsksToPair(
  t: TestServer,
  machine: { hostname: string; rawMachineId: string },
): Promise<{ workstation: Workstation; pairing: PairingState }> {
  const workstation = await startWorkstation(t, machine);
  try {
    await dispatchIpc(workstation.core, 'startPairing', {});
    const pairing = workstation.core.state;
    if (pairing.screen !== 'pairing') throw new Error(`the reinstalled workstation is on ${pairing.screen}, not pairing`);
    return { workstation, pairing };
  } catch (error) {
    await workstation.close();
    throw error;
  }
}
