/**
 * What the server hears of this workstation's agent besides the inbox: whether the screen is
 * locked (a locked agent is not online), the agent's availability and time zone (the
 * workstation's until they pick one), and which conversation shows here and whether they are
 * typing in it (presence-reporter.ts). Lives with the signed-in session (agent-session.ts).
 */
import type { MyStatus } from '../../common/api/presence.js';
import { canonicalTimeZone } from '../../common/api/presence.js';
import type { ServerApi } from '../connection/server-api.js';
import type { Platform } from '../platform/platform.js';
import { endOf } from './session-end.js';
import { PresenceReporter } from './presence-reporter.js';
import type { PresenceReporterOptions } from './presence-reporter.js';

export interface DeskStatusDeps {
  readonly api: ServerApi;
  readonly platform: Platform;
  readonly presence?: PresenceReporterOptions;
  /** A call with the session's token; a refusal that ends the session is acted on. */
  call<T>(work: (token: string) => Promise<T>): Promise<T>;
  /** The event socket is live. */
  online(): boolean;
  /** The agent reads conversations (holds agent or supervisor): only then is there a conversation to be present in. */
  readsConversations(): boolean;
  /** The status changed (to the renderer). */
  emit(status: MyStatus): void;
}

export class DeskStatus {
  readonly presence: PresenceReporter;
  readonly #deps: DeskStatusDeps;
  #screenLocked = false;
  /** The lock state the server was last told (by a report, or as the socket connected). */
  #lockTold: boolean | undefined;
  /** The agent's status as the server last gave it. */
  #status: MyStatus | undefined;
  /** The workstation's zone has been given to the server in this session. */
  #timeZoneTold = false;

  constructor(deps: DeskStatusDeps) {
    this.#deps = deps;
    this.presence = new PresenceReporter(
      {
        send: (report) => deps.call((token) => deps.api.reportPresence(token, report)),
        canSend: () => deps.online() && !this.#screenLocked && deps.readsConversations(),
      },
      deps.presence,
    );
  }

  start(): void {
    this.presence.start();
  }

  stop(): void {
    this.presence.stop();
  }

  /** The event socket is connecting: its query tells the server the lock as it is now. */
  lockedAtConnect(): boolean {
    this.#lockTold = this.#screenLocked;
    return this.#screenLocked;
  }

  /** The lock screen shows, or the inbox again: the server hears it now, or as the socket next connects. */
  screenLocked(locked: boolean): void {
    if (this.#screenLocked === locked) return;
    this.#screenLocked = locked;
    this.#tellLock();
    // Locked, the server forgets what this workstation showed; unlocked, it is told again.
    if (!locked) this.presence.forgotten();
  }

  /** The socket is live (again): what the server may not have heard, it hears now. */
  connected(): void {
    this.#tellLock();
    this.#tellTimeZone();
    // A new socket: the server may have lost what this workstation showed (a restart).
    this.presence.forgotten();
  }

  /** Now and then: a lock report that did not get through is tried again. */
  housekeep(): void {
    this.#tellLock();
  }

  /** The agent's availability and time zone: the server's, or offline what it last said (the workstation's zone until then). */
  async status(): Promise<MyStatus> {
    if (this.#deps.online()) {
      try {
        return this.#keep(await this.#deps.call((token) => this.#deps.api.myStatus(token)));
      } catch (error) {
        if (endOf(error) !== undefined) throw error;
      }
    }
    return this.#status ?? { available: true, timeZone: this.#workstationTimeZone() ?? null, timeZoneChosen: false, online: false };
  }

  async setAvailability(available: boolean): Promise<MyStatus> {
    return this.#keep(await this.#deps.call((token) => this.#deps.api.setAvailability(token, available)));
  }

  async setTimeZone(timeZone: string): Promise<MyStatus> {
    return this.#keep(await this.#deps.call((token) => this.#deps.api.setTimeZone(token, timeZone, 'agent')));
  }

  #keep(status: MyStatus): MyStatus {
    const before = this.#status;
    this.#status = status;
    const same =
      before !== undefined &&
      before.available === status.available &&
      before.timeZone === status.timeZone &&
      before.timeZoneChosen === status.timeZoneChosen &&
      before.online === status.online;
    if (!same) this.#deps.emit(status);
    return status;
  }

  #workstationTimeZone(): string | undefined {
    return canonicalTimeZone(this.#deps.platform.machine.timeZone());
  }

  #tellLock(): void {
    if (!this.#deps.online() || this.#lockTold === this.#screenLocked) return;
    const locked = this.#screenLocked;
    this.#lockTold = locked;
    this.#deps
      .call((token) => this.#deps.api.reportScreenLock(token, locked))
      .catch(() => {
        // Tried again at housekeeping, or carried by the next connect.
        if (this.#lockTold === locked) this.#lockTold = undefined;
      });
  }

  /** The workstation's time zone (kept by the server only until the agent picks one), and the status it answers. */
  #tellTimeZone(): void {
    if (this.#timeZoneTold) return;
    this.#timeZoneTold = true;
    const zone = this.#workstationTimeZone();
    const { api } = this.#deps;
    this.#deps
      .call((token) => (zone === undefined ? api.myStatus(token) : api.setTimeZone(token, zone, 'workstation')))
      .then(
        (status) => this.#keep(status),
        () => {
          this.#timeZoneTold = false;
        },
      );
  }
}
