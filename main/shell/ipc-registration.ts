/**
 * Registers one ipcMain handler per contract call. A call is served only when it comes from the
 * main frame of our window showing app://sportello; anything else (another origin, a subframe,
 * a frame already gone, another web contents) is refused without reaching the core. Accepted
 * calls go through dispatchIpc, which checks the name and parses the input.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CALL_NAMES, IPC_EVENT_CHANNEL, callChannel } from '../../common/ipc/contract.js';
import type { IpcCallName } from '../../common/ipc/contract.js';
import type { IpcFailure } from '../../common/ipc/ipc-result.js';
import { isAppOrigin } from '../app-protocol/app-origin.js';
import { dispatchIpc } from '../ipc/ipc-dispatch.js';
import type { DispatchOptions, IpcBackend } from '../ipc/ipc-dispatch.js';

export const FORBIDDEN_SENDER: IpcFailure = {
  ok: false,
  code: 'ipc_forbidden_sender',
  message: 'This request did not come from Sportello’s own window and was refused.',
};

/** Our window's web contents, or null while there is none. */
export type TrustedContents = () => WebContents | null;

export function isTrustedSender(event: IpcMainInvokeEvent, trusted: WebContents | null): boolean {
  if (trusted === null || trusted.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (frame === null) return false;
  // Distinct WebFrameMain objects may stand for the same frame: compare the frame's browser-wide id.
  const isOurMainFrame = event.sender.id === trusted.id && frame.parent === null && frame.frameTreeNodeId === trusted.mainFrame.frameTreeNodeId;
  return isOurMainFrame && isAppOrigin(frame.url);
}

export interface IpcRegistrationOptions extends DispatchOptions {
  readonly onForbiddenSender?: (name: IpcCallName) => void;
}

/** Returns a function that removes every handler it registered. */
export function registerIpcHandlers(ipcMain: IpcMain, backend: IpcBackend, trustedContents: TrustedContents, options: IpcRegistrationOptions = {}): () => void {
  for (const name of IPC_CALL_NAMES) {
    ipcMain.handle(callChannel(name), (event, request: unknown) => {
      if (!isTrustedSender(event, trustedContents())) {
        options.onForbiddenSender?.(name);
        return FORBIDDEN_SENDER;
      }
      return dispatchIpc(backend, name, request, options);
    });
  }
  return () => {
    for (const name of IPC_CALL_NAMES) ipcMain.removeHandler(callChannel(name));
  };
}

/** Sends the core's events to our window, on the one event channel the preload listens to. */
export function forwardBackendEvents(backend: IpcBackend, trustedContents: TrustedContents): () => void {
  return backend.onEvent((event, payload) => {
    const contents = trustedContents();
    if (contents !== null && !contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, { event, payload });
  });
}
