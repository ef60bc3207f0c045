/**
 * What this install is to the server, before anyone signs in: the app-scoped machine ID (none
 * when the OS gives no usable one), the start-up check of the device's status, and the pairing
 * screens while an admin decides. A device that lost its right is wiped by the core.
 */
import type { ProvisioningFile } from '../../common/provisioning/provisioning-file.js';
import { CodedError, isCodedError } from '../../common/errors/coded-error.js';
import type { AppState, UiError } from '../../common/ipc/app-state.js';
import type { ServerApi } from '../connection/server-api.js';
import { appScopedMachineId, MACHINE_ID_UNAVAILABLE, usableRawMachineId } from '../device/machine-id.js';
import type { Platform } from '../platform/platform.js';
import { withdrawnBy } from './lost-rights.js';
import { PairingFlow } from './pairing-flow.js';
import type { PairingEnd, PairingView } from './pairing-flow.js';
import { uiError } from './ui-error.js';

export type RevokedReasonCode = Extract<AppState, { screen: 'revoked' }>['reasonCode'];

/** The server this install was provisioned for, reached with its device key. */
export interface Connected {
  readonly provisioning: ProvisioningFile;
  readonly machineId: string;
  readonly api: ServerApi;
}

export interface DeviceCheckHost {
  readonly platform: Platform;
  readonly options: { readonly pairingPollMs: number; readonly rotateCodeBeforeExpiryMs: number };
  connected(): Connected;
  setState(state: AppState): void;
  signedOut(problem: UiError | null, deviceLabel?: string): void;
  /** Erases everything this install kept (once the cache is closed) and shows the revoked screen. */
  wipe(reason: string, reasonCode?: RevokedReasonCode): Promise<void>;
  /** True (and the update screen shown) when the server refuses this app's version. */
  outdated(error: unknown): boolean;
  /** Whether this install has held a cache (it was paired and someone signed in). */
  holdsCache(): boolean;
}

export class DeviceCheck {
  readonly #host: DeviceCheckHost;
  #pairing: PairingFlow | undefined;
  /** Set when the OS gives no usable machine ID: this workstation never asks to pair. */
  #noMachineId: CodedError | undefined;

  constructor(host: DeviceCheckHost) {
    this.#host = host;
  }

  /** The reason this workstation may not ask to pair, if it may not. */
  get noMachineId(): CodedError | undefined {
    return this.#noMachineId;
  }

  /** The app-scoped machine ID; without a usable OS one, the unpaired screen says why and nothing is sent. */
  async readMachineId(): Promise<string | undefined> {
    const { machine } = this.#host.platform;
    const hostname = machine.hostname();
    try {
      return appScopedMachineId(usableRawMachineId(await machine.rawMachineId(), hostname));
    } catch (error) {
      this.#noMachineId = isCodedError(error) ? error : new CodedError('machine_id_unavailable', MACHINE_ID_UNAVAILABLE);
      this.#host.setState({ screen: 'unpaired', machineId: null, hostname, problem: uiError(this.#noMachineId) });
      return undefined;
    }
  }

  async check(): Promise<void> {
    const host = this.#host;
    const { api, machineId } = host.connected();
    try {
      const device = await api.deviceStatus();
      const withdrawn = withdrawnBy(device, host.holdsCache());
      if (withdrawn !== undefined) return host.wipe(withdrawn.reason, withdrawn.reasonCode);
      switch (device.status) {
        case 'active':
          host.signedOut(null, device.label);
          return;
        case 'pending':
          await this.startPairing();
          return;
        case 'revoked':
          // Wiped above, with everything this install kept.
          return;
        case 'rejected':
          host.setState({
            screen: 'unpaired',
            machineId,
            hostname: host.platform.machine.hostname(),
            problem: { code: 'pairing_rejected', message: 'An administrator rejected the last pairing request from this workstation.' },
          });
          return;
        case 'unknown':
          host.setState({ screen: 'unpaired', machineId, hostname: host.platform.machine.hostname(), problem: null });
          return;
      }
    } catch (error) {
      if (host.outdated(error)) return;
      host.setState({ screen: 'offline', serverUrl: host.connected().provisioning.serverUrl, problem: uiError(error) });
    }
  }

  async startPairing(): Promise<void> {
    const host = this.#host;
    const { api, machineId } = host.connected();
    const { machine } = host.platform;
    this.#pairing?.stop();
    try {
      const started = await api.requestPairing({
        hostname: machine.hostname(),
        os: machine.osDescription(),
        appVersion: machine.appVersion(),
        storageBackend: host.platform.secrets.backend(),
      });
      const flow = new PairingFlow(started, {
        api,
        options: { pollMs: host.options.pairingPollMs, rotateBeforeExpiryMs: host.options.rotateCodeBeforeExpiryMs },
        now: host.platform.now,
        onView: (view) => this.#showPairing(view),
        onEnd: (end, error) => void this.#pairingEnded(end, error),
      });
      this.#pairing = flow;
      this.#showPairing(flow.view);
      flow.start();
    } catch (error) {
      if (host.outdated(error)) return;
      if (isCodedError(error) && error.code === 'device_revoked') return host.wipe(error.message);
      if (isCodedError(error) && error.code === 'server_unreachable') {
        host.setState({ screen: 'offline', serverUrl: host.connected().provisioning.serverUrl, problem: uiError(error) });
        return;
      }
      host.setState({ screen: 'unpaired', machineId, hostname: machine.hostname(), problem: uiError(error) });
    }
  }

  stopPairing(): void {
    this.#pairing?.stop();
    this.#pairing = undefined;
  }

  #showPairing(view: PairingView): void {
    const { machineId } = this.#host.connected();
    this.#host.setState({
      screen: 'pairing',
      machineId,
      hostname: this.#host.platform.machine.hostname(),
      code: view.code,
      approvalUrl: view.approvalUrl,
      keyFingerprint: view.keyFingerprint,
      codeExpiresAt: view.codeExpiresAt,
      pairingExpiresAt: view.pairingExpiresAt,
    });
  }

  async #pairingEnded(end: PairingEnd, error: unknown): Promise<void> {
    const host = this.#host;
    this.#pairing = undefined;
    const { machineId } = host.connected();
    const hostname = host.platform.machine.hostname();
    if (end === 'approved') {
      await this.check();
      return;
    }
    if (host.outdated(error)) return;
    if (isCodedError(error) && error.code === 'device_revoked') return host.wipe(error.message);
    const problems: Record<Exclude<PairingEnd, 'approved'>, UiError> = {
      rejected: { code: 'pairing_rejected', message: 'An administrator rejected this pairing request.' },
      expired: { code: 'pairing_expired', message: 'The pairing request expired before anyone approved it: start again.' },
      superseded: { code: 'pairing_superseded', message: 'A newer pairing request from this workstation replaced this one.' },
      failed: error === undefined ? { code: 'pairing_failed', message: 'Pairing stopped.' } : uiError(error),
    };
    host.setState({ screen: 'unpaired', machineId, hostname, problem: problems[end] });
  }
}
