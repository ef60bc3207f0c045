/**
 * The main-process core: the state machine that decides what the renderer may see
 * (unprovisioned → unpaired → pairing → signed out → enrolling | locked | inbox → revoked), the
 * transitions between its screens, and `handle()`, which passes each IPC call to its area's
 * handler (handlers/). The signed-in agent is an AgentSession that exists only while someone is
 * signed in; the device key, the tokens and the cache keys never leave main.
 */
import { AppVersion } from '../../common/api/client-version.js';
import type { SessionGrant } from '../../common/api/session.js';
import type { AgentBriefingView } from '../../common/briefing/briefing.js';
import { CodedError, isCodedError } from '../../common/errors/coded-error.js';
import type { AppState, ConnectionState, UiError } from '../../common/ipc/app-state.js';
import type { IpcCallName, IpcEventName, IpcEventPayload, IpcParsedRequest, IpcResponse } from '../../common/ipc/contract.js';
import { LeaseClock } from '../cache/lease-clock.js';
import { pinnedAgent } from '../connection/pinned-agent.js';
import { ServerApi } from '../connection/server-api.js';
import { DeviceKey } from '../device/device-key.js';
import type { IpcBackend } from '../ipc/ipc-dispatch.js';
import type { Platform } from '../platform/platform.js';
import { readProvisioning } from '../provisioning/read-provisioning.js';
import { AgentSession, endOf } from './agent-session.js';
import type { SessionEnd } from './agent-session.js';
import { DeviceCheck } from './device-check.js';
import type { Connected, RevokedReasonCode } from './device-check.js';
import { EnrollmentSteps } from './enrollment-steps.js';
import { adminHandlers } from './handlers/admin-handlers.js';
import { teamAdminHandlers } from './handlers/team-admin-handlers.js';
import { teamHoursHandlers } from './handlers/team-hours-handlers.js';
import { routingAdminHandlers } from './handlers/routing-admin-handlers.js';
import { safetyHandlers } from './handlers/safety-handlers.js';
import { briefingHandlers, briefingOf } from './handlers/briefing-handlers.js';
import type { CoreContext, HandlerTable } from './handlers/core-context.js';
import { inboxHandlers } from './handlers/inbox-handlers.js';
import { noteHandlers } from './handlers/note-handlers.js';
import { replyHandlers } from './handlers/reply-handlers.js';
import { handoverHandlers } from './handlers/handover-handlers.js';
import { blockHandlers } from './handlers/block-handlers.js';
import { paymentHandlers } from './handlers/payment-handlers.js';
import { templateHandlers } from './handlers/template-handlers.js';
import { scheduleHandlers } from './handlers/schedule-handlers.js';
import { personalDataHandlers } from './handlers/personal-data-handlers.js';
import { presenceHandlers } from './handlers/presence-handlers.js';
import { sessionHandlers } from './handlers/session-handlers.js';
import { supervisionHandlers } from './handlers/supervision-handlers.js';
import { analyticsHandlers } from './handlers/analytics-handlers.js';
import { KeptData } from './kept-data.js';
import type { PresenceReporterOptions } from './presence-reporter.js';
import { AGENT_ERASED, sessionLossOf, withdrawnBy } from './lost-rights.js';
import { SessionSlot } from './session-slot.js';

export interface ClientCoreOptions {
  readonly pairingPollMs?: number;
  readonly rotateCodeBeforeExpiryMs?: number;
  readonly idleCheckMs?: number;
  readonly reconnectBackoffMs?: number;
  /** How often the outbox is retried while messages wait, and the offline lease checked. */
  readonly housekeepingMs?: number;
  readonly mediaCacheBytes?: number;
  /** How presence reports are renewed and debounced (presence-reporter.ts). */
  readonly presence?: PresenceReporterOptions;
}

type Listener = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;

const OFFLINE: ConnectionState = { status: 'offline' };

export class ClientCore implements IpcBackend {
  readonly #platform: Platform;
  readonly #options: Required<ClientCoreOptions>;
  readonly #listeners = new Set<Listener>();
  /** What this install keeps on disk: sealed secrets and the cache's files. */
  readonly #kept: KeptData;
  readonly #leaseClock: LeaseClock;
  readonly #device: DeviceCheck;
  readonly #enrollment = new EnrollmentSteps();
  readonly #handlers: HandlerTable<IpcCallName>;
  #state: AppState = { screen: 'starting' };
  #connected: Connected | undefined;
  /** The signed-in agent: only while the inbox (or its lock screen) shows. */
  readonly #session = new SessionSlot();
  /** The device's label, shown on the sign-in screen. */
  #deviceLabel = '';
  /** Set by stop(): answers and events that arrive late (the app is quitting) change nothing. */
  #stopped = false;

  constructor(platform: Platform, options: ClientCoreOptions = {}) {
    this.#platform = platform;
    this.#options = {
      pairingPollMs: options.pairingPollMs ?? 2000,
      rotateCodeBeforeExpiryMs: options.rotateCodeBeforeExpiryMs ?? 30_000,
      idleCheckMs: options.idleCheckMs ?? 5000,
      reconnectBackoffMs: options.reconnectBackoffMs ?? 1000,
      housekeepingMs: options.housekeepingMs ?? 15_000,
      mediaCacheBytes: options.mediaCacheBytes ?? 512 * 1024 * 1024,
      presence: options.presence ?? {},
    };
    this.#kept = new KeptData(platform.userDataDir, platform.secrets);
    this.#leaseClock = new LeaseClock(platform.now, platform.monotonicNow);
    this.#device = new DeviceCheck({
      platform,
      options: this.#options,
      connected: () => this.#requireConnected(),
      setState: (state) => this.#setState(state),
      signedOut: (problem, deviceLabel) => this.#signedOut(problem, deviceLabel),
      wipe: (reason, reasonCode) => this.#wipe(reason, reasonCode),
      outdated: (error) => this.#outdated(error),
      holdsCache: () => this.#kept.holdsCache(),
    });
    const context = this.#context();
    this.#handlers = {
      ...sessionHandlers(context),
      ...inboxHandlers(context),
      ...noteHandlers(context),
      ...replyHandlers(context),
      ...handoverHandlers(context),
      ...blockHandlers(context),
      ...personalDataHandlers(context),
      ...presenceHandlers(context),
      ...supervisionHandlers(context),
      ...adminHandlers(context),
      ...teamAdminHandlers(context),
      ...teamHoursHandlers(context),
      ...routingAdminHandlers(context),
      ...safetyHandlers(context),
      ...briefingHandlers(context),
      ...paymentHandlers(context),
      ...templateHandlers(context),
      ...scheduleHandlers(context),
      ...analyticsHandlers(context),
    };
  }

  get state(): AppState {
    return this.#state;
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads the provisioning file, loads (or makes) the device key and asks the server what it knows. */
  async start(): Promise<void> {
    const interrupted = this.#kept.finishInterruptedWipes();
    if (interrupted !== undefined) {
      this.#setState({ screen: 'revoked', reason: interrupted, dataErased: true });
      return;
    }
    // The lease holds at rest: a share whose lease passed while the app was not running goes now.
    this.#kept.cacheSecrets.holdLease(this.#leaseClock);
    const provisioning = readProvisioning(this.#platform.provisioningPath);
    if (!provisioning.ok) {
      this.#setState({ screen: 'unprovisioned', problem: provisioning.problem, provisioningPath: this.#platform.provisioningPath });
      return;
    }
    const machineId = await this.#device.readMachineId();
    if (machineId === undefined) return;
    const key = DeviceKey.loadOrCreate(this.#kept.sealed);
    const target = {
      baseUrl: provisioning.file.serverUrl,
      agent: pinnedAgent(provisioning.file.spkiSha256),
      clientVersion: this.#platform.machine.appVersion(),
    };
    const api = new ServerApi(target, machineId, key);
    this.#connected = { provisioning: provisioning.file, machineId, api };
    await this.#device.check();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#device.stopPairing();
    const closing = this.#endSession();
    // At quit the lease is judged once more, and the time reached is sealed for the next start.
    this.#kept.cacheSecrets.holdLease(this.#leaseClock);
    this.#connected?.api.target.agent.destroy();
    await closing;
  }

  handle<N extends IpcCallName>(name: N, request: IpcParsedRequest<N>): Promise<IpcResponse<N>> {
    const handler = this.#handlers[name] as (request: IpcParsedRequest<N>) => Promise<IpcResponse<N>>;
    return handler(request);
  }

  /** What the handlers may use of the core. */
  #context(): CoreContext {
    return {
      platform: this.#platform,
      device: this.#device,
      enrollment: this.#enrollment,
      state: () => this.#state,
      setState: (state) => this.#setState(state),
      emit: (event, payload) => this.#emit(event, payload),
      require: (screens) => this.#require(screens),
      api: () => this.#requireConnected().api,
      session: () => this.#session.current,
      inbox: () => {
        this.#require(['inbox']);
        const session = this.#session.current;
        if (session === undefined) throw new CodedError('cache_closed', 'The local copy of the inbox is not open.');
        return session;
      },
      connection: () => this.#session.current?.connection ?? OFFLINE,
      enterInbox: (grant) => this.#enterInbox(grant),
      showInbox: () => this.#showInbox(),
      briefingAcknowledged: (briefing) => this.#briefingAcknowledged(briefing),
      lock: (reason) => this.#lock(reason),
      logout: () => this.#logout(),
      signedOut: (problem) => this.#signedOut(problem),
      reactToServerError: (error) => this.#sessionEnded(this.#session.current, endOf(error)),
      outdated: (error) => this.#outdated(error),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions

  async #enterInbox(grant: SessionGrant): Promise<void> {
    const api = this.#requireConnected().api;
    if (!this.#platform.secrets.isProtected() && !grant.policy.allowBasicTextStorage) {
      await api.logout(grant.accessToken).catch(() => undefined);
      throw new CodedError(
        'secret_storage_insecure',
        'This workstation has no protected secret storage (keyring), and the organisation’s policy requires one. Ask IT.',
      );
    }
    const host = {
      emit: this.#emit.bind(this),
      inboxShown: () => this.#state.screen === 'inbox',
      lock: (reason: 'idle' | 'screen_locked') => this.#lock(reason),
      ended: (ended: AgentSession | undefined, end: SessionEnd) => this.#sessionEnded(ended, end),
      agentChanged: (changed: AgentSession) => this.#agentChanged(changed),
      briefingDue: (due: AgentSession) => void this.#briefingDue(due),
    };
    const deps = { platform: this.#platform, api, cacheSecrets: this.#kept.cacheSecrets, leaseClock: this.#leaseClock, options: this.#options, host };
    const session = await this.#session.open(() => AgentSession.open(grant, deps));
    this.#platform.desktop.setContentProtection(grant.policy.blockScreenshots);
    const briefing = await briefingOf(session, api.target);
    if (session !== this.#session.current) return;
    if (briefing?.required === true) return this.#setState({ screen: 'briefing', agent: session.agent, briefing });
    this.#showInbox();
    session.start();
  }

  /**
   * The server refused the inbox for the briefing, or published a new version: the briefing screen
   * shows when the agent must acknowledge it (the inbox, or its lock screen, gives way to it).
   */
  async #briefingDue(session: AgentSession): Promise<void> {
    const target = this.#connected?.api.target;
    if (target === undefined) return;
    const briefing = await briefingOf(session, target);
    if (session !== this.#session.current || briefing?.required !== true) return;
    if (this.#state.screen === 'inbox' || this.#state.screen === 'briefing') this.#setState({ screen: 'briefing', agent: session.agent, briefing });
  }

  /** The agent acknowledged the briefing: the inbox opens (its stream starting the first time) once nothing more is required. */
  #briefingAcknowledged(briefing: AgentBriefingView): void {
    const session = this.#session.current;
    if (session === undefined || this.#state.screen !== 'briefing') return;
    if (briefing.required) return this.#setState({ screen: 'briefing', agent: session.agent, briefing });
    this.#showInbox();
    session.start();
  }

  async #logout(): Promise<void> {
    const session = this.#session.current;
    // A logout already under way ends this session: this one only waits for it.
    if (session === undefined) return this.#session.settled();
    const grant = session.grant;
    const keepCache = session.policy.keepCacheOnLogout;
    await this.#endSession();
    if (!keepCache) this.#kept.eraseLoggedOutCache();
    if (grant !== undefined)
      await this.#requireConnected()
        .api.logout(grant.accessToken)
        .catch(() => undefined);
    this.#signedOut(null);
  }

  /**
   * A session ended by the server or the lease (or a refusal heard before any session): an
   * outdated app stops at the update screen, a revocation wipes; a lost session or a lapsed lease
   * ends the session it came from, if that is still the one signed in.
   */
  #sessionEnded(session: AgentSession | undefined, end: SessionEnd | undefined): void {
    if (this.#stopped || end === undefined) return;
    switch (end.kind) {
      case 'outdated':
        this.#outdated(end.error);
        return;
      case 'revoked':
        void this.#wipe(end.reason);
        return;
      case 'lost':
        if (session !== undefined && session === this.#session.current && ['inbox', 'locked', 'briefing'].includes(this.#state.screen))
          void this.#sessionLost(end.why, end.problem);
        return;
      case 'lease_expired':
        // The lease ran out without the server renewing it: the cache closes until the agent signs in again.
        if (session === undefined || session !== this.#session.current) return;
        void this.#endSession();
        this.#signedOut(end.problem);
        return;
    }
  }

  /**
   * A session the agent did not end: an agent who lost their right (disabled, authenticator reset)
   * loses what this workstation kept of them whatever the policy; any other end is a logout, the
   * cache kept only if the policy says so. Then the core asks what the server thinks of this
   * install now, since the device may have lost its right too (its key replaced).
   */
  async #sessionLost(why: string, problem: UiError): Promise<void> {
    const loss = sessionLossOf(why);
    const keepCache = loss === 'ended' && this.#session.current?.policy.keepCacheOnLogout === true;
    // Marked before the cache closes: a wipe the app does not live to finish is finished at the next start.
    if (loss !== 'ended') this.#kept.markAgentWipe();
    const shown = this.#state;
    await this.#endSession();
    if (loss !== 'ended') this.#kept.eraseAgent();
    else if (!keepCache) this.#kept.eraseLoggedOutCache();
    // The sign-in screen says why, unless a revocation or the update screen came meanwhile.
    if (this.#state === shown) this.#signedOut(loss !== 'ended' ? AGENT_ERASED[loss] : problem);
    void this.#recheckDevice();
  }

  /** After a session ended: wipes when the server says this install lost its right; anything else changes nothing. */
  async #recheckDevice(): Promise<void> {
    const api = this.#connected?.api;
    if (api === undefined) return;
    try {
      const withdrawn = withdrawnBy(await api.deviceStatus(), this.#kept.holdsCache());
      if (withdrawn !== undefined && !this.#stopped && this.#connected?.api === api) await this.#wipe(withdrawn.reason, withdrawn.reasonCode);
    } catch {
      // Unreachable now: the start-up check and the next session's calls ask again.
    }
  }

  /**
   * The signed-in session (and a sign-in still opening its cache) ends now: nothing of it reacts
   * any more, and no enrollment grant waits. Resolves once its cache is closed.
   */
  #endSession(): Promise<void> {
    this.#enrollment.forgetGrant();
    return this.#session.end();
  }

  /** Revocation: everything this workstation kept is erased (once the cache is closed), and the revoked screen says why. */
  async #wipe(reason: string, reasonCode?: RevokedReasonCode): Promise<void> {
    this.#device.stopPairing();
    // Marked before the cache closes: a wipe the app does not live to finish is finished at the next start.
    this.#kept.markWipe(reason);
    await this.#endSession();
    const erased = this.#kept.eraseAll(reason);
    this.#connected?.api.target.agent.destroy();
    this.#connected = undefined;
    this.#setState({ screen: 'revoked', reason, ...(reasonCode === undefined ? {} : { reasonCode }), dataErased: erased });
  }

  /**
   * The server refuses this app's version: everything stops at the update screen (sessions end,
   * the cache stays: this is no revocation) until the app is updated. True when it was that.
   */
  #outdated(error: unknown): boolean {
    if (!isCodedError(error) || error.code !== 'client_outdated') return false;
    const minimum = AppVersion.safeParse(error.details?.minimumVersion);
    this.#device.stopPairing();
    void this.#endSession();
    this.#setState({ screen: 'update_required', appVersion: this.#platform.machine.appVersion(), minimumVersion: minimum.success ? minimum.data : null });
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Screens

  #showInbox(): void {
    const session = this.#session.current;
    if (session === undefined) return;
    session.desk.screenLocked(false);
    this.#setState({ screen: 'inbox', agent: session.agent, blockScreenshots: session.policy.blockScreenshots });
  }

  /** The signed-in agent's roles changed: the inbox (or its lock screen) names them anew. */
  #agentChanged(session: AgentSession): void {
    if (session !== this.#session.current) return;
    if (this.#state.screen === 'inbox') this.#showInbox();
    else if (this.#state.screen === 'locked' || this.#state.screen === 'briefing') this.#setState({ ...this.#state, agent: session.agent });
  }

  #lock(reason: 'idle' | 'screen_locked' | 'manual'): void {
    const session = this.#session.current;
    if (this.#state.screen !== 'inbox' || session === undefined) return;
    session.desk.screenLocked(true);
    this.#setState({ screen: 'locked', agent: session.agent, reason, problem: null });
  }

  #signedOut(problem: UiError | null, deviceLabel = this.#deviceLabel): void {
    this.#deviceLabel = deviceLabel;
    this.#setState({ screen: 'signed_out', deviceLabel, problem });
  }

  #requireConnected(): Connected {
    if (this.#connected === undefined) throw new CodedError('not_connected', 'This workstation has no usable server connection.');
    return this.#connected;
  }

  #require(screens: ReadonlyArray<AppState['screen']>): void {
    if (!screens.includes(this.#state.screen)) {
      throw new CodedError('not_allowed_now', `This cannot be done on the ${this.#state.screen.replace('_', ' ')} screen.`);
    }
  }

  #setState(state: AppState): void {
    this.#state = state;
    this.#emit('state', state);
  }

  #emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
    for (const listener of this.#listeners) listener(event, payload);
  }
}
