/**
 * Builds `window.sportello` from the IPC contract: one async function per call and one event
 * subscription, over any transport. The Electron preload passes ipcRenderer; the renderer's
 * end-to-end harness passes a browser-page bridge and gets the very same API.
 */
import { IPC_CALL_NAMES, IPC_EVENT_NAMES, callChannel } from '../common/ipc/contract.js';
import type { IpcEventName, SportelloApi } from '../common/ipc/contract.js';
import type { IpcFailure } from '../common/ipc/ipc-result.js';

/** An event as main sends it on the one event channel. */
export interface IpcEventMessage {
  readonly event: string;
  readonly payload: unknown;
}

export interface IpcTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  /** Delivers every message sent on the event channel; returns an unsubscribe. */
  subscribe(listener: (message: IpcEventMessage) => void): () => void;
}

/** The call never reached main's handler (none registered, transport gone): still a result, never a throw. */
const TRANSPORT_FAILED: IpcFailure = {
  ok: false,
  code: 'ipc_unavailable',
  message: 'The app could not complete this request. Restart Sportello if this keeps happening.',
};

interface Subscription {
  readonly event: IpcEventName;
  readonly listener: (payload: unknown) => void;
}

function isEventName(name: unknown): name is IpcEventName {
  return typeof name === 'string' && (IPC_EVENT_NAMES as readonly string[]).includes(name);
}

function isEventMessage(message: unknown): message is IpcEventMessage {
  return typeof message === 'object' && message !== null && typeof (message as { event?: unknown }).event === 'string';
}

/** One transport subscription however many listeners the renderer adds, dropped when the last one goes. */
function eventFanOut(transport: IpcTransport) {
  const subscriptions = new Set<Subscription>();
  let stopListening: (() => void) | null = null;
  const deliver = (message: unknown): void => {
    if (!isEventMessage(message)) return;
    // A listener that throws does not keep the event from the others; its error surfaces after.
    const failures: unknown[] = [];
    for (const subscription of [...subscriptions]) {
      if (subscription.event !== message.event) continue;
      try {
        subscription.listener(message.payload);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  };
  return (event: unknown, listener: unknown): (() => void) => {
    if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    const subscription: Subscription = { event, listener: listener as (payload: unknown) => void };
    subscriptions.add(subscription);
    stopListening ??= transport.subscribe(deliver);
    return () => {
      if (!subscriptions.delete(subscription) || subscriptions.size > 0) return;
      stopListening?.();
      stopListening = null;
    };
  };
}

export function buildSportelloApi(transport: IpcTransport): SportelloApi {
  const api: Record<string, unknown> = {};
  for (const name of IPC_CALL_NAMES) {
    const channel = callChannel(name);
    api[name] = (request: unknown) => transport.invoke(channel, request).catch(() => TRANSPORT_FAILED);
  }
  api.on = eventFanOut(transport);
  return Object.freeze(api) as unknown as SportelloApi;
}
