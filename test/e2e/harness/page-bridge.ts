/**
 * Runs inside the test page, before the renderer: makes `window.sportello` with the preload's
 * own builder, over a transport of two Playwright bindings instead of Electron's ipcRenderer.
 * Calls go to the test process (`__sportelloInvoke`), events come back through
 * `__sportelloDeliver`. Compiled without the DOM's types, hence globalThis.
 *
 * Electron hands each IPC reply and event to the renderer as a task of its own. The bindings land
 * inside the DevTools protocol's tasks instead, which the page's long-task timing does not count.
 * With `__sportelloArrivalsAsTasks` set before this script (openApp's `arrivalsAsTasks`, which
 * bench/renderer.ts uses so it sees the work a reply sets off), one message channel passes them
 * on, in the order they came, each as a task. The tests keep the bindings' own timing.
 */
import { buildSportelloApi } from '../../../preload/sportello-api.js';
import type { IpcEventMessage } from '../../../preload/sportello-api.js';
import { decodeBytes } from './bytes-over-binding.js';

interface BridgeGlobals {
  __sportelloInvoke(channel: string, request: unknown): Promise<unknown>;
  __sportelloDeliver?: (message: IpcEventMessage) => void;
  __sportelloArrivalsAsTasks?: boolean;
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: null): void } };
}

const page = globalThis as unknown as BridgeGlobals;
const listeners = new Set<(message: IpcEventMessage) => void>();

const arrivals: Array<() => void> = [];
const arrivalTasks = new page.MessageChannel();
arrivalTasks.port1.onmessage = () => arrivals.shift()?.();
function arrive(arrival: () => void): void {
  if (page.__sportelloArrivalsAsTasks !== true) {
    arrival();
    return;
  }
  arrivals.push(arrival);
  arrivalTasks.port2.postMessage(null);
}

page.__sportelloDeliver = (message) =>
  arrive(() => {
    for (const listener of listeners) listener(message);
  });

const api = buildSportelloApi({
  invoke: async (channel, request) => {
    const answer = await page.__sportelloInvoke(channel, request);
    return new Promise((resolve) => arrive(() => resolve(decodeBytes(answer))));
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
});

// As contextBridge.exposeInMainWorld does: a read-only property the page cannot replace.
Object.defineProperty(globalThis, 'sportello', { value: api, enumerable: true });
