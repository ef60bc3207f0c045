/**
 * What the IPC handlers may use of the core: its screens, the server connection, the signed-in
 * session and the flows that move between screens. Each area's handlers live in a file of their
 * own beside this one; a new call goes into its area's table.
 */
import type { SessionGrant } from '../../../common/api/session.js';
import type { AgentBriefingView } from '../../../common/briefing/briefing.js';
import type { AppState, ConnectionState, UiError } from '../../../common/ipc/app-state.js';
import type { IpcCallName, IpcEventName, IpcEventPayload, IpcParsedRequest, IpcResponse } from '../../../common/ipc/contract.js';
import type { ServerApi } from '../../connection/server-api.js';
import type { Platform } from '../../platform/platform.js';
import type { AgentSession } from '../agent-session.js';
import type { DeviceCheck } from '../device-check.js';
import type { EnrollmentSteps } from '../enrollment-steps.js';

/** One handler per contract call named in `N`. */
export type HandlerTable<N extends IpcCallName> = { [K in N]: (request: IpcParsedRequest<K>) => Promise<IpcResponse<K>> };

export interface CoreContext {
  readonly platform: Platform;
  readonly device: DeviceCheck;
  readonly enrollment: EnrollmentSteps;
  state(): AppState;
  setState(state: AppState): void;
  emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void;
  /** Refuses the call (`not_allowed_now`) unless one of `screens` shows. */
  require(screens: ReadonlyArray<AppState['screen']>): void;
  api(): ServerApi;
  /** The signed-in session, whatever shows (inbox or locked); undefined when nobody is signed in. */
  session(): AgentSession | undefined;
  /** The signed-in session while the inbox shows; refused otherwise. */
  inbox(): AgentSession;
  connection(): ConnectionState;
  /** Opens a session for the grant and shows the inbox. */
  enterInbox(grant: SessionGrant): Promise<void>;
  showInbox(): void;
  /** After the agent acknowledged the briefing: the inbox opens unless something is still required. */
  briefingAcknowledged(briefing: AgentBriefingView): void;
  lock(reason: 'idle' | 'screen_locked' | 'manual'): void;
  /** The agent signs out here: the session ends, and the cache goes unless the policy keeps it. */
  logout(): Promise<void>;
  signedOut(problem: UiError | null): void;
  /** A server refusal that ends more than the call (a revocation, an outdated app, a lost session). */
  reactToServerError(error: unknown): void;
  /** True (and the update screen shown) when the server refuses this app's version. */
  outdated(error: unknown): boolean;
}
