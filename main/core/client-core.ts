/**
 * The main-process core: the state machine that decides what the renderer may see
 * (unprovisioned → unpaired → pairing → signed out → enrolling | locked | inbox → revoked), the
 * flows that move it, and one handler per IPC call. It holds the device key, the session tokens
 * and the cache; none of the keys or tokens ever leaves this object.
 */
import { AppVersion } from '../../common/api/client-version.js';
import type { ServerEvent } from '../../common/api/events.js';
import type { ClientPolicy, SessionGrant } from '../../common/api/session.js';
import { checkPickedFile } from '../../common/attachments/attachment-check.js';
import { CodedError, isCodedError } from '../../common/errors/coded-error.js';
import { openableLink } from '../../common/links/link-policy.js';
import type { AppState, SignedInAgent, UiError } from '../../common/ipc/app-state.js';
import type { ConnectionState } from '../../common/ipc/app-state.js';
import type { IpcCallName, IpcEventName, IpcEventPayload, IpcParsedRequest, IpcResponse, OutboxEntry } from '../../common/ipc/contract.js';
import type { SendRequestInput } from '../../common/messages/send-request.js';
import type { ProvisioningFile } from '../../common/provisioning/provisioning-file.js';
import { CacheSecrets, leaseExpired } from '../cache/cache-secrets.js';
import { LeaseClock } from '../cache/lease-clock.js';
import { cacheExists, eraseCacheFiles, finishInterruptedAgentWipe, finishInterruptedWipe, openWorkstationCache, wipeAgentCache, wipeWorkstation } from '../cache/workstation-cache.js';
import type { OpenCache } from '../cache/workstation-cache.js';
import { DeviceKey } from '../device/device-key.js';
import { appScopedMachineId, MACHINE_ID_UNAVAILABLE, usableRawMachineId } from '../device/machine-id.js';
import type { IpcBackend } from '../ipc/ipc-dispatch.js';
import type { Platform } from '../platform/platform.js';
import { readProvisioning } from '../provisioning/read-provisioning.js';
import { SealedFiles, secretsDirOf } from '../secrets/sealed-files.js';
import { EventStream } from '../connection/event-stream.js';
import type { StreamEnd } from '../connection/event-stream.js';
import { pinnedAgent } from '../connection/pinned-agent.js';
import { ServerApi } from '../connection/server-api.js';
import { IdleLock } from './idle-lock.js';
import { InboxSync } from './inbox-sync.js';
import { AGENT_ERASED, SESSION_ENDED, sessionLossOf, withdrawnBy } from './lost-rights.js';
import { OutboxSender } from './outbox-sender.js';
import { PairingFlow } from './pairing-flow.js';
import type { PairingEnd, PairingView } from './pairing-flow.js';
import { SessionKeeper } from './session-keeper.js';

export interface ClientCoreOptions {
  readonly pairingPollMs?: number;
  readonly rotateCodeBeforeExpiryMs?: number;
  readonly idleCheckMs?: number;
  readonly reconnectBackoffMs?: number;
  /** How often the outbox is retried while messages wait, and the offline lease checked. */
  readonly housekeepingMs?: number;
  readonly mediaCacheBytes?: number;
}

/** Largest file the renderer may preview through getMedia. */
export const MAX_PREVIEW_BYTES = 25 * 1024 * 1024;

type Listener = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;
type Handlers = { [N in IpcCallName]: (request: IpcParsedRequest<N>) => Promise<IpcResponse<N>> };

interface Enrollment {
  readonly enrollmentId: string;
  readonly username: string;
  readonly otpauthUri: string;
  readonly manualKey: string;
}

interface Connected {
  readonly provisioning: ProvisioningFile;
  readonly machineId: string;
  readonly api: ServerApi;
}

/** Server answers meaning this login is over (not the device): back to the sign-in screen. */
const SIGNED_OUT_CODES = new Set(['session_invalid', 'session_expired', 'agent_disabled', 'agent_reset', 'refresh_failed', 'signed_out']);
/** While the app runs, the lease's high-water time is sealed again once it has moved on this much. */
const HIGH_WATER_STEP_MS = 60_000;

function uiError(error: unknown): UiError {
  if (isCodedError(error)) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: 'Something went wrong in the app.' };
}

function groupKey(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

export class ClientCore implements IpcBackend {
  readonly #platform: Platform;
  readonly #options: Required<ClientCoreOptions>;
  readonly #sealed: SealedFiles;
  readonly #listeners = new Set<Listener>();
  readonly #session: SessionKeeper;
  readonly #idle: IdleLock;
  #state: AppState = { screen: 'starting' };
  #connection: ConnectionState = { status: 'offline' };
  #connected: Connected | undefined;
  #pairing: PairingFlow | undefined;
  #enrollment: Enrollment | undefined;
  #pendingGrant: SessionGrant | undefined;
  #stream: EventStream | undefined;
  #agent: SignedInAgent | undefined;
  #policy: ClientPolicy | undefined;
  #streamLive = false;
  readonly #cacheSecrets: CacheSecrets;
  readonly #leaseClock: LeaseClock;
  #cache: OpenCache | undefined;
  #sync: InboxSync | undefined;
  #outbox: OutboxSender | undefined;
  #housekeeping: NodeJS.Timeout | undefined;
  /** The device's label, shown on the sign-in screen. */
  #deviceLabel = '';
  /** The reason of the socket's last `session_revoked` event, read when the socket then closes. */
  #sessionEndReason: string | undefined;
  /** Set by stop(): answers and events that arrive late (the app is quitting) change nothing. */
  #stopped = false;
  /** Set when the OS gives no usable machine ID: this workstation never asks to pair. */
  #noMachineId: CodedError | undefined;

  constructor(platform: Platform, options: ClientCoreOptions = {}) {
    this.#platform = platform;
    this.#options = {
      pairingPollMs: options.pairingPollMs ?? 2000,
      rotateCodeBeforeExpiryMs: options.rotateCodeBeforeExpiryMs ?? 30_000,
      idleCheckMs: options.idleCheckMs ?? 5000,
      reconnectBackoffMs: options.reconnectBackoffMs ?? 1000,
      housekeepingMs: options.housekeepingMs ?? 15_000,
      mediaCacheBytes: options.mediaCacheBytes ?? 512 * 1024 * 1024,
    };
    this.#sealed = new SealedFiles(secretsDirOf(platform.userDataDir), platform.secrets);
    this.#cacheSecrets = new CacheSecrets(this.#sealed);
    this.#leaseClock = new LeaseClock(platform.now, platform.monotonicNow);
    this.#session = new SessionKeeper(async (refreshToken) => this.#keepShare(await this.#api().refresh(refreshToken)), platform.now);
    this.#idle = new IdleLock(platform.idle, (reason) => this.#lock(reason), this.#options.idleCheckMs);
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
    const interrupted = finishInterruptedWipe(this.#platform.userDataDir, () => this.#eraseSecrets());
    if (interrupted !== undefined) {
      this.#setState({ screen: 'revoked', reason: interrupted, dataErased: true });
      return;
    }
    finishInterruptedAgentWipe(this.#platform.userDataDir, () => this.#cacheSecrets.eraseAll());
    // The lease holds at rest: a share whose lease passed while the app was not running goes now.
    this.#cacheSecrets.holdLease(this.#leaseClock);
    const provisioning = readProvisioning(this.#platform.provisioningPath);
    if (!provisioning.ok) {
      this.#setState({ screen: 'unprovisioned', problem: provisioning.problem, provisioningPath: this.#platform.provisioningPath });
      return;
    }
    const machineId = await this.#readMachineId();
    if (machineId === undefined) return;
    const key = DeviceKey.loadOrCreate(this.#sealed);
    const target = { baseUrl: provisioning.file.serverUrl, agent: pinnedAgent(provisioning.file.spkiSha256), clientVersion: this.#platform.machine.appVersion() };
    const api = new ServerApi(target, machineId, key);
    this.#connected = { provisioning: provisioning.file, machineId, api };
    await this.#checkDevice();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    this.#pairing?.stop();
    this.#endSession();
    // At quit the lease is judged once more, and the time reached is sealed for the next start.
    this.#cacheSecrets.holdLease(this.#leaseClock);
    this.#connected?.api.target.agent.destroy();
    return Promise.resolve();
  }

  handle<N extends IpcCallName>(name: N, request: IpcParsedRequest<N>): Promise<IpcResponse<N>> {
    const handler = this.#handlers[name] as (request: IpcParsedRequest<N>) => Promise<IpcResponse<N>>;
    return handler(request);
  }

  // ---------------------------------------------------------------------------------------------
  // The handlers, one per contract call

  readonly #handlers: Handlers = {
    getState: () => Promise.resolve(this.#state),
    getInfo: () =>
      Promise.resolve({ osLocale: this.#platform.machine.osLocale(), appVersion: this.#platform.machine.appVersion(), platform: this.#platform.machine.platform() }),
    getConnection: () => Promise.resolve(this.#connection),
    startPairing: async () => {
      this.#require(['unpaired']);
      if (this.#noMachineId !== undefined) throw this.#noMachineId;
      await this.#startPairing();
      return this.#state;
    },
    retry: async () => {
      this.#require(['offline', 'update_required']);
      this.#setState({ screen: 'starting' });
      await this.#checkDevice();
      return this.#state;
    },
    startEnrollment: async (request) => {
      this.#require(['signed_out', 'enrolling']);
      const started = await this.#api()
        .startEnrollment(request)
        .catch((error: unknown) => {
          this.#reactToServerError(error);
          throw error;
        });
      this.#enrollment = { enrollmentId: started.enrollmentId, username: request.username, otpauthUri: started.otpauthUri, manualKey: groupKey(started.secret) };
      this.#showEnrollment(null);
      return this.#state;
    },
    confirmEnrollment: async ({ code }) => {
      const enrollment = this.#enrollment;
      if (enrollment === undefined || this.#state.screen !== 'enrolling') throw new CodedError('not_enrolling', 'Start the enrollment with your code first.');
      try {
        const completed = await this.#api().confirmEnrollment(enrollment.enrollmentId, code);
        this.#pendingGrant = completed.session;
        this.#enrollment = undefined;
        this.#setState({ screen: 'enrolling', step: 'recovery_codes', username: enrollment.username, recoveryCodes: completed.recoveryCodes });
      } catch (error) {
        if (this.#outdated(error)) throw error;
        if (isCodedError(error) && error.code === 'totp_code_wrong') this.#showEnrollment(uiError(error));
        else if (isCodedError(error) && (error.code === 'enrollment_failed' || error.code === 'enrollment_not_pending')) this.#signedOut(uiError(error));
        throw error;
      }
      return this.#state;
    },
    finishEnrollment: async () => {
      const grant = this.#pendingGrant;
      if (grant === undefined || this.#state.screen !== 'enrolling') throw new CodedError('not_enrolling', 'There is no finished enrollment to continue from.');
      this.#pendingGrant = undefined;
      await this.#enterInbox(grant);
      return this.#state;
    },
    login: async (request) => {
      this.#require(['signed_out']);
      try {
        await this.#enterInbox(await this.#api().login(request));
      } catch (error) {
        this.#reactToServerError(error);
        if (this.#state.screen === 'signed_out') this.#signedOut(uiError(error));
        throw error;
      }
      return this.#state;
    },
    unlock: async ({ secondFactor }) => {
      this.#require(['locked']);
      try {
        await this.#withToken((token) => this.#api().unlock(token, secondFactor));
      } catch (error) {
        this.#reactToServerError(error);
        if (this.#state.screen === 'locked') this.#setState({ ...this.#state, problem: uiError(error) });
        throw error;
      }
      this.#showInbox();
      // The renderer was blind while locked: it reloads what it shows.
      if (this.#stream !== undefined) this.#emit('inbox', { type: 'resync', lastSeq: this.#stream.lastSeq });
      return this.#state;
    },
    lock: () => {
      this.#require(['inbox', 'locked']);
      this.#lock('manual');
      return Promise.resolve(this.#state);
    },
    logout: async () => {
      this.#require(['inbox', 'locked']);
      const grant = this.#session.grant;
      const keepCache = this.#policy?.keepCacheOnLogout === true;
      this.#endSession();
      if (!keepCache) this.#eraseLoggedOutCache();
      if (grant !== undefined) await this.#api().logout(grant.accessToken).catch(() => undefined);
      this.#signedOut(null);
      return this.#state;
    },
    listConversations: (request) => this.#local((sync) => sync.conversations(request.filter, request.cursor, request.limit ?? 50)),
    getConversation: ({ conversationId }) => this.#local((sync) => sync.conversation(conversationId)),
    listMessages: (request) => this.#local((sync) => sync.messages(request.conversationId, request.cursor, request.limit ?? 50)),
    sendMessage: async (compose) => {
      const { outbox, sender } = this.#requireOutbox();
      const added = outbox.add(compose, this.#platform.now());
      return this.#afterFlush(added, await sender.flush());
    },
    listOutbox: ({ conversationId }) => Promise.resolve({ entries: this.#requireOutbox().outbox.list(conversationId) }),
    retryOutbox: async ({ clientMessageId }) => {
      const { outbox, sender } = this.#requireOutbox();
      const entry = outbox.get(clientMessageId);
      if (entry === undefined) throw new CodedError('outbox_entry_not_found', 'This message is no longer waiting to be sent.');
      outbox.markPending(clientMessageId, this.#platform.now());
      return this.#afterFlush(entry, await sender.flush());
    },
    discardOutbox: ({ clientMessageId }) => {
      if (!this.#requireOutbox().outbox.remove(clientMessageId)) throw new CodedError('outbox_entry_not_found', 'This message is no longer waiting to be sent.');
      return Promise.resolve({ done: true as const });
    },
    markRead: async ({ conversationId }) => {
      // As of the feed position before the call: a notice that came meanwhile is newer.
      const askedAt = this.#cache?.inbox.lastSeq ?? 0;
      const marked = await this.#inbox((token) => this.#api().markRead(token, conversationId));
      this.#cache?.inbox.storePage({ conversations: [marked.conversation] }, askedAt);
      return { done: true as const };
    },
    getMedia: async ({ mediaId }) => {
      this.#require(['inbox']);
      // From the cache only for a cached message the agent may still see; else the server decides.
      const shown = () => this.#cache?.inbox.showsMedia(this.#viewer(), mediaId) === true;
      const cached = shown() ? this.#cache?.media.get(mediaId) : undefined;
      if (cached !== undefined) return cached;
      const fetched = await this.#inbox((token) => this.#api().downloadMedia(token, mediaId, MAX_PREVIEW_BYTES));
      // Kept only beside such a message, judged when the bytes arrive (a hand-over may have come meanwhile).
      if (shown()) this.#cache?.media.put(mediaId, fetched.mimeType, fetched.bytes);
      return fetched;
    },
    search: ({ query, limit }) => {
      this.#require(['inbox']);
      const cache = this.#cache;
      if (cache === undefined) throw new CodedError('cache_closed', 'The local copy of the inbox is not open.');
      return Promise.resolve({ hits: cache.inbox.search(this.#viewer(), query, limit ?? 30) });
    },
    pickAttachment: async () => {
      this.#require(['inbox']);
      const picked = await this.#platform.desktop.pickFile();
      if (picked === null) return null;
      // The server runs the same check on the upload; checking here spares sending what it would refuse.
      const { kind, mimeType } = await checkPickedFile(picked.name, picked.bytes);
      const uploaded = await this.#inbox((token) => this.#api().uploadMedia(token, { kind, filename: picked.name, mimeType, bytes: picked.bytes }));
      return { attachmentId: uploaded.mediaId, filename: picked.name, kind, mimeType, size: uploaded.size };
    },
    openLink: async ({ url }) => {
      const link = openableLink(url);
      const confirmed = await this.#platform.desktop.confirmOpenLink({ url: link.href, host: link.host });
      if (!confirmed) return { opened: false };
      await this.#platform.desktop.openExternal(link.href);
      return { opened: true };
    },
    adminListDevices: () => this.#admin((token) => this.#api().adminDevices(token)),
    adminLookupPairing: ({ code }) => this.#admin((token) => this.#api().adminLookupPairing(token, code)),
    adminApprovePairing: ({ code, replaceKey }) => this.#admin((token) => this.#api().adminApprovePairing(token, code, replaceKey === true)),
    adminRejectPairing: ({ code }) => this.#admin((token) => this.#api().adminRejectPairing(token, code)),
    adminRevokeDevice: ({ deviceId, reason }) => this.#admin((token) => this.#api().adminRevokeDevice(token, deviceId, reason)),
    adminListAgents: () => this.#admin((token) => this.#api().adminAgents(token)),
    adminCreateAgent: (request) => this.#admin((token) => this.#api().adminCreateAgent(token, request)),
    adminDisableAgent: ({ agentId }) => this.#admin((token) => this.#api().adminAgentAction(token, agentId, 'disable')),
    adminUnlockAgent: ({ agentId }) => this.#admin((token) => this.#api().adminAgentAction(token, agentId, 'unlock')),
  };

  // ---------------------------------------------------------------------------------------------
  // Device and pairing

  /** The app-scoped machine ID; without a usable OS one, the unpaired screen says why and nothing is sent. */
  async #readMachineId(): Promise<string | undefined> {
    const hostname = this.#platform.machine.hostname();
    try {
      return appScopedMachineId(usableRawMachineId(await this.#platform.machine.rawMachineId(), hostname));
    } catch (error) {
      this.#noMachineId = isCodedError(error) ? error : new CodedError('machine_id_unavailable', MACHINE_ID_UNAVAILABLE);
      this.#setState({ screen: 'unpaired', machineId: null, hostname, problem: uiError(this.#noMachineId) });
      return undefined;
    }
  }

  async #checkDevice(): Promise<void> {
    const { api, machineId } = this.#requireConnected();
    try {
      const device = await api.deviceStatus();
      const withdrawn = withdrawnBy(device, this.#holdsCache());
      if (withdrawn !== undefined) return this.#wipe(withdrawn.reason, withdrawn.reasonCode);
      switch (device.status) {
        case 'active':
          this.#signedOut(null, device.label);
          return;
        case 'pending':
          await this.#startPairing();
          return;
        case 'revoked':
          // Wiped above, with everything this install kept.
          return;
        case 'rejected':
          this.#setState({ screen: 'unpaired', machineId, hostname: this.#platform.machine.hostname(), problem: { code: 'pairing_rejected', message: 'An administrator rejected the last pairing request from this workstation.' } });
          return;
        case 'unknown':
          this.#setState({ screen: 'unpaired', machineId, hostname: this.#platform.machine.hostname(), problem: null });
          return;
      }
    } catch (error) {
      if (this.#outdated(error)) return;
      this.#setState({ screen: 'offline', serverUrl: this.#requireConnected().provisioning.serverUrl, problem: uiError(error) });
    }
  }

  async #startPairing(): Promise<void> {
    const { api, machineId } = this.#requireConnected();
    const machine = this.#platform.machine;
    this.#pairing?.stop();
    try {
      const started = await api.requestPairing({ hostname: machine.hostname(), os: machine.osDescription(), appVersion: machine.appVersion(), storageBackend: this.#platform.secrets.backend() });
      const flow = new PairingFlow(started, {
        api,
        options: { pollMs: this.#options.pairingPollMs, rotateBeforeExpiryMs: this.#options.rotateCodeBeforeExpiryMs },
        now: this.#platform.now,
        onView: (view) => this.#showPairing(view),
        onEnd: (end, error) => void this.#pairingEnded(end, error),
      });
      this.#pairing = flow;
      this.#showPairing(flow.view);
      flow.start();
    } catch (error) {
      if (this.#outdated(error)) return;
      if (isCodedError(error) && error.code === 'device_revoked') return this.#wipe(error.message);
      if (isCodedError(error) && error.code === 'server_unreachable') {
        this.#setState({ screen: 'offline', serverUrl: this.#requireConnected().provisioning.serverUrl, problem: uiError(error) });
        return;
      }
      this.#setState({ screen: 'unpaired', machineId, hostname: machine.hostname(), problem: uiError(error) });
    }
  }

  #showPairing(view: PairingView): void {
    const { machineId } = this.#requireConnected();
    this.#setState({
      screen: 'pairing',
      machineId,
      hostname: this.#platform.machine.hostname(),
      code: view.code,
      approvalUrl: view.approvalUrl,
      keyFingerprint: view.keyFingerprint,
      codeExpiresAt: view.codeExpiresAt,
      pairingExpiresAt: view.pairingExpiresAt,
    });
  }

  async #pairingEnded(end: PairingEnd, error: unknown): Promise<void> {
    this.#pairing = undefined;
    const { machineId } = this.#requireConnected();
    const hostname = this.#platform.machine.hostname();
    if (end === 'approved') {
      await this.#checkDevice();
      return;
    }
    if (this.#outdated(error)) return;
    if (isCodedError(error) && error.code === 'device_revoked') return this.#wipe(error.message);
    const problems: Record<Exclude<PairingEnd, 'approved'>, UiError> = {
      rejected: { code: 'pairing_rejected', message: 'An administrator rejected this pairing request.' },
      expired: { code: 'pairing_expired', message: 'The pairing request expired before anyone approved it: start again.' },
      superseded: { code: 'pairing_superseded', message: 'A newer pairing request from this workstation replaced this one.' },
      failed: error === undefined ? { code: 'pairing_failed', message: 'Pairing stopped.' } : uiError(error),
    };
    this.#setState({ screen: 'unpaired', machineId, hostname, problem: problems[end] });
  }

  // ---------------------------------------------------------------------------------------------
  // Sessions

  async #enterInbox(grant: SessionGrant): Promise<void> {
    if (!this.#platform.secrets.isProtected() && !grant.policy.allowBasicTextStorage) {
      await this.#api().logout(grant.accessToken).catch(() => undefined);
      throw new CodedError('secret_storage_insecure', 'This workstation has no protected secret storage (keyring), and the organisation’s policy requires one. Ask IT.');
    }
    this.#session.set(this.#keepShare(grant));
    this.#agent = grant.agent;
    this.#policy = grant.policy;
    this.#openCache();
    this.#platform.desktop.setContentProtection(grant.policy.blockScreenshots);
    this.#showInbox();
    this.#idle.start(grant.policy.idleLockMinutes);
    this.#startStream();
    this.#startHousekeeping();
  }

  /** Keeps the share (sealed) until the lease the grant gives; every refresh extends it. */
  #keepShare(grant: SessionGrant): SessionGrant {
    this.#leaseClock.observe(grant.serverTime);
    this.#cacheSecrets.keepShare(Buffer.from(grant.cacheKeyShare, 'base64url'), grant.offlineLeaseEndsAt, grant.agent.id, this.#leaseClock.now());
    return grant;
  }

  #openCache(): void {
    const cache = openWorkstationCache(this.#platform.userDataDir, this.#cacheSecrets, () => this.#leaseClock.now(), this.#options.mediaCacheBytes);
    this.#cache = cache;
    this.#sync = new InboxSync({
      cache,
      api: this.#api(),
      accessToken: () => this.#session.accessToken(),
      viewer: this.#viewer(),
      online: () => this.#connection.status === 'online',
    });
    this.#outbox = new OutboxSender({
      outbox: cache.outbox,
      send: async (compose) => (await this.#withToken((token) => this.#api().send(token, sendRequestOf(compose)))).message,
      feedPosition: () => cache.inbox.lastSeq,
      store: (message, askedAt) => cache.inbox.storePage({ messages: [message] }, askedAt),
      emit: (entry) => this.#emit('outbox', entry),
      onFatal: (error) => this.#reactToServerError(error),
      now: this.#platform.now,
    });
  }

  #viewer() {
    const agent = this.#agent;
    if (agent === undefined) throw new CodedError('signed_out', 'Sign in first.');
    return { agentId: agent.id, role: agent.role };
  }

  #requireOutbox(): { outbox: NonNullable<OpenCache>['outbox']; sender: OutboxSender } {
    this.#require(['inbox']);
    if (this.#cache === undefined || this.#outbox === undefined) throw new CodedError('cache_closed', 'The local copy of the inbox is not open.');
    return { outbox: this.#cache.outbox, sender: this.#outbox };
  }

  /** The entry after a flush: sent by it, or as the outbox holds it now (waiting or refused). */
  #afterFlush(entry: OutboxEntry, sent: ReadonlyMap<string, OutboxEntry>): OutboxEntry {
    return sent.get(entry.clientMessageId) ?? this.#cache?.outbox.get(entry.clientMessageId) ?? entry;
  }

  /** Serves a read from the cache (and the server when the cache runs short). */
  async #local<T>(read: (sync: InboxSync) => Promise<T>): Promise<T> {
    this.#require(['inbox']);
    const sync = this.#sync;
    if (sync === undefined) throw new CodedError('cache_closed', 'The local copy of the inbox is not open.');
    try {
      return await read(sync);
    } catch (error) {
      this.#reactToServerError(error);
      throw error;
    }
  }

  #startHousekeeping(): void {
    this.#stopHousekeeping();
    this.#housekeeping = setInterval(() => {
      const cache = this.#cache;
      if (cache === undefined) return;
      if (this.#cacheSecrets.holdLease(this.#leaseClock, HIGH_WATER_STEP_MS) !== 'held') {
        // The lease ran out without the server renewing it: the cache closes until the agent signs in again.
        this.#endSession();
        this.#signedOut(uiError(leaseExpired()));
        return;
      }
      if (this.#connection.status === 'online') void this.#outbox?.flush();
    }, this.#options.housekeepingMs);
  }

  #stopHousekeeping(): void {
    if (this.#housekeeping !== undefined) clearInterval(this.#housekeeping);
    this.#housekeeping = undefined;
  }

  #showInbox(): void {
    if (this.#agent === undefined || this.#policy === undefined) return;
    this.#setState({ screen: 'inbox', agent: this.#agent, blockScreenshots: this.#policy.blockScreenshots });
  }

  #lock(reason: 'idle' | 'screen_locked' | 'manual'): void {
    if (this.#state.screen !== 'inbox' || this.#agent === undefined) return;
    this.#setState({ screen: 'locked', agent: this.#agent, reason, problem: null });
  }

  #startStream(): void {
    const { api } = this.#requireConnected();
    this.#stream?.stop();
    this.#streamLive = false;
    const lastSeq = this.#cache?.inbox.lastSeq ?? 0;
    const stream = new EventStream({
      target: api.target,
      proof: () => api.proof('events.connect'),
      accessToken: () => this.#session.accessToken(),
      initialBackoffMs: this.#options.reconnectBackoffMs,
      handlers: {
        onEvent: (event) => this.#onServerEvent(event),
        onConnection: (status) => {
          if (status !== 'online') this.#streamLive = false;
          this.#connection = { status };
          this.#emit('connection', this.#connection);
          if (status === 'online') void this.#outbox?.flush();
        },
        onEnd: (end, reason, cause) => this.#streamEnded(end, reason, cause),
      },
    }, lastSeq > 0 ? lastSeq : undefined);
    this.#stream = stream;
    stream.start();
  }

  #onServerEvent(event: ServerEvent): void {
    if (this.#stopped) return;
    if (event.type === 'device_revoked') return this.#wipe(event.reason);
    if (event.type === 'session_revoked') {
      this.#sessionEndReason = event.reason;
      return;
    }
    const sync = this.#sync;
    if (event.type === 'ready' || event.type === 'resync') {
      // Replayed events came before `ready`: only what follows is news worth a notification.
      if (event.type === 'ready') this.#streamLive = true;
      const loading = event.type === 'ready' ? sync?.ready(event.lastSeq) : sync?.resync(event.lastSeq);
      void (loading ?? Promise.resolve())
        .then(() => {
          // The renderer reloads what it shows from the cache, now up to date.
          if (this.#state.screen === 'inbox') this.#emit('inbox', { type: 'resync', lastSeq: event.lastSeq });
        })
        .catch((error: unknown) => this.#reactToServerError(error));
      return;
    }
    sync?.apply(event);
    if (this.#state.screen !== 'inbox') return;
    this.#emit('inbox', event);
    if (this.#streamLive && event.type === 'message' && event.message.direction === 'inbound' && event.message.origin === 'customer') {
      const customer = event.conversation.customer;
      const body = this.#policy?.notificationPreviews === true && event.message.content.type === 'text' ? event.message.content.body.slice(0, 200) : null;
      this.#platform.desktop.notify({ title: customer.name ?? customer.phone ?? customer.username ?? 'WhatsApp', body });
    }
  }

  #streamEnded(end: StreamEnd, reason: string, cause: unknown): void {
    if (this.#stopped) return;
    if (end === 'device_revoked') return this.#wipe(reason);
    if (end === 'client_outdated' && this.#outdated(cause)) return;
    this.#sessionLost(end === 'session_revoked' ? (this.#sessionEndReason ?? reason) : reason, SESSION_ENDED);
  }

  /**
   * A session the agent did not end: an agent who lost their right (disabled, authenticator reset)
   * loses what this workstation kept of them whatever the policy; any other end is a logout, the
   * cache kept only if the policy says so. Then the core asks what the server thinks of this
   * install now, since the device may have lost its right too (its key replaced).
   */
  #sessionLost(why: string, problem: UiError): void {
    const loss = sessionLossOf(why);
    const keepCache = loss === 'ended' && this.#policy?.keepCacheOnLogout === true;
    this.#endSession();
    if (loss !== 'ended') {
      wipeAgentCache(this.#platform.userDataDir, () => this.#cacheSecrets.eraseAll());
      this.#signedOut(AGENT_ERASED[loss]);
    } else {
      if (!keepCache) this.#eraseLoggedOutCache();
      this.#signedOut(problem);
    }
    void this.#recheckDevice();
  }

  /** After a session ended: wipes when the server says this install lost its right; anything else changes nothing. */
  async #recheckDevice(): Promise<void> {
    const api = this.#connected?.api;
    if (api === undefined) return;
    try {
      const withdrawn = withdrawnBy(await api.deviceStatus(), this.#holdsCache());
      if (withdrawn !== undefined && !this.#stopped && this.#connected?.api === api) this.#wipe(withdrawn.reason, withdrawn.reasonCode);
    } catch {
      // Unreachable now: the start-up check and the next session's calls ask again.
    }
  }

  #eraseLoggedOutCache(): void {
    eraseCacheFiles(this.#platform.userDataDir);
    this.#cacheSecrets.forgetShare();
  }

  /** Whether this install has held a cache (it was paired and someone signed in). */
  #holdsCache(): boolean {
    return this.#cacheSecrets.held() || cacheExists(this.#platform.userDataDir);
  }

  #endSession(): void {
    this.#idle.stop();
    this.#stopHousekeeping();
    this.#stream?.stop();
    this.#stream = undefined;
    this.#cache?.close();
    this.#cache = undefined;
    this.#sync = undefined;
    this.#outbox = undefined;
    this.#session.clear();
    this.#agent = undefined;
    this.#policy = undefined;
    this.#pendingGrant = undefined;
    this.#sessionEndReason = undefined;
    this.#connection = { status: 'offline' };
  }

  #signedOut(problem: UiError | null, deviceLabel = this.#deviceLabel): void {
    this.#deviceLabel = deviceLabel;
    this.#setState({ screen: 'signed_out', deviceLabel, problem });
  }

  #showEnrollment(problem: UiError | null): void {
    const enrollment = this.#enrollment;
    if (enrollment === undefined) return;
    this.#setState({ screen: 'enrolling', step: 'authenticator', username: enrollment.username, otpauthUri: enrollment.otpauthUri, manualKey: enrollment.manualKey, problem });
  }

  /** Revocation: everything this workstation kept is erased, and the revoked screen says why. */
  #wipe(reason: string, reasonCode?: Extract<AppState, { screen: 'revoked' }>['reasonCode']): void {
    this.#pairing?.stop();
    this.#endSession();
    let erased = true;
    try {
      wipeWorkstation(this.#platform.userDataDir, reason, () => this.#eraseSecrets());
    } catch {
      erased = false;
    }
    this.#connected?.api.target.agent.destroy();
    this.#connected = undefined;
    this.#setState({ screen: 'revoked', reason, ...(reasonCode === undefined ? {} : { reasonCode }), dataErased: erased });
  }

  #eraseSecrets(): void {
    this.#cacheSecrets.eraseAll();
    DeviceKey.erase(this.#sealed);
  }

  // ---------------------------------------------------------------------------------------------
  // Calls to the server on behalf of the signed-in agent

  async #withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.#session.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (isCodedError(error) && error.code === 'session_expired') return call((await this.#session.refreshNow()).accessToken);
      throw error;
    }
  }

  async #inbox<T>(call: (token: string) => Promise<T>): Promise<T> {
    this.#require(['inbox']);
    try {
      return await this.#withToken(call);
    } catch (error) {
      this.#reactToServerError(error);
      throw error;
    }
  }

  #admin<T>(call: (token: string) => Promise<T>): Promise<T> {
    if (this.#agent?.role !== 'admin') return Promise.reject(new CodedError('forbidden_role', 'Only administrators may do this.'));
    return this.#inbox(call);
  }

  /** A refusal that changes what this workstation may do: revoked → wipe; session gone → signed out; too old → update. */
  #reactToServerError(error: unknown): void {
    if (this.#stopped || !isCodedError(error) || this.#outdated(error)) return;
    if (error.code === 'device_revoked') return this.#wipe('This workstation has been revoked by an administrator.');
    if (SIGNED_OUT_CODES.has(error.code) && (this.#state.screen === 'inbox' || this.#state.screen === 'locked')) this.#sessionLost(error.code, uiError(error));
  }

  /**
   * The server refuses this app's version: everything stops at the update screen (sessions end,
   * the cache stays: this is no revocation) until the app is updated. True when it was that.
   */
  #outdated(error: unknown): boolean {
    if (!isCodedError(error) || error.code !== 'client_outdated') return false;
    const minimum = AppVersion.safeParse(error.details?.minimumVersion);
    this.#pairing?.stop();
    this.#pairing = undefined;
    this.#endSession();
    this.#setState({ screen: 'update_required', appVersion: this.#platform.machine.appVersion(), minimumVersion: minimum.success ? minimum.data : null });
    return true;
  }

  // ---------------------------------------------------------------------------------------------

  #api(): ServerApi {
    return this.#requireConnected().api;
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

/** The server's send request for a composed message: its client id is the idempotency key. */
function sendRequestOf(compose: OutboxEntry['compose']): SendRequestInput {
  const base = { idempotencyKey: compose.clientMessageId, conversationId: compose.conversationId, ...(compose.replyToMessageId === undefined ? {} : { replyToMessageId: compose.replyToMessageId }) };
  switch (compose.kind) {
    case 'text':
      return { ...base, kind: 'text', text: compose.text };
    case 'media':
      return { ...base, kind: 'media', mediaId: compose.attachmentId, ...(compose.caption === undefined ? {} : { caption: compose.caption }) };
    case 'template':
      return { ...base, kind: 'template', name: compose.name, languageCode: compose.languageCode, components: compose.components };
    case 'reaction':
      return { ...base, kind: 'reaction', targetMessageId: compose.targetMessageId, emoji: compose.emoji };
  }
}

export async function createClientCore(platform: Platform, options?: ClientCoreOptions): Promise<ClientCore> {
  return Promise.resolve(new ClientCore(platform, options));
}
