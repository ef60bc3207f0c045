/**
 * Runs inside the test page, before the renderer: makes `window.sportello` with the preload's
 * own builder, over a transport of two Playwright bindings instead of Electron's ipcRenderer.
 * Calls go to the test process (`__sportelloInvoke`), events come back through
 * `__sportelloDeliver`. Compiled without the DOM's types, hence globalThis.
 */
import { buildSportelloApi } from '../../../preload/sportello-api.js';
import type { IpcEventMessage } from '../../../preload/sportello-api.js';
import { decodeBytes } from './bytes-over-binding.js';

interface BridgeGlobals {
  __sportelloInvoke(channel: string, request: unknown): Promise<unknown>;
  __sportelloDeliver?: (message: IpcEventMessage) => void;
}

const page = globalThis as unknown as BridgeGlobals;
const listeners = new Set<(message: IpcEventMessage) => void>();

page.__sportelloDeliver = (message) => {
  for (const listener of listeners) listener(message);
};

const api = buildSportelloApi({
  invoke: async (channel, request) => decodeBytes(await page.__sportelloInvoke(channel, request)),
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
});

// As contextBridge.exposeInMainWorld does: a read-only property the page cannot replace.
Object.defineProperty(globalThis, 'sportello', { value: api, enumerable: true });
