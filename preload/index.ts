/**
 * The sandboxed preload: exposes `window.sportello` (the contract's calls and `on`) and nothing
 * else — never ipcRenderer, never a generic send, never Electron's event object. Built into one
 * CommonJS file whose only import is 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL } from '../common/ipc/contract.js';
import { buildSportelloApi } from './sportello-api.js';
import type { IpcEventMessage, IpcTransport } from './sportello-api.js';

const ipcRendererTransport: IpcTransport = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, message: IpcEventMessage): void => listener(message);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('sportello', buildSportelloApi(ipcRendererTransport));
