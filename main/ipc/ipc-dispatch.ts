/**
 * The one path every IPC call takes into main, whoever carries it (Electron's ipcMain in the
 * shell, or a test harness): the call name must be in the contract, the input must parse with
 * its schema, and any failure becomes { ok: false, code, message } (with the conversations it names,
 * when it names them) — never a stack trace, never a thrown error across the boundary.
 */
import type { z } from 'zod';
import { IPC_CALLS } from '../../common/ipc/contract.js';
import type { IpcCallName, IpcEventName, IpcEventPayload, IpcParsedRequest, IpcResponse } from '../../common/ipc/contract.js';
import { conversationIdsOf } from '../../common/ipc/ipc-result.js';
import type { IpcResult } from '../../common/ipc/ipc-result.js';
import { isCodedError } from '../../common/errors/coded-error.js';

/** What main offers the renderer: one handler per contract call, and its events. */
export interface IpcBackend {
  handle<N extends IpcCallName>(name: N, request: IpcParsedRequest<N>): Promise<IpcResponse<N>>;
  onEvent(listener: <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void): () => void;
}

export function isIpcCallName(name: unknown): name is IpcCallName {
  return typeof name === 'string' && Object.hasOwn(IPC_CALLS, name);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map(String).join('.');
  return `${path === '' ? 'request' : path}: ${issue?.message ?? 'is invalid'}`;
}

export interface DispatchOptions {
  /** Called with failures that are not coded (bugs), for the log; never with request contents. */
  readonly onUnexpectedError?: (name: string, error: unknown) => void;
}

export async function dispatchIpc(backend: IpcBackend, name: unknown, request: unknown, options: DispatchOptions = {}): Promise<IpcResult<unknown>> {
  if (!isIpcCallName(name)) return { ok: false, code: 'ipc_unknown_call', message: 'This call is not part of the app’s contract.' };
  const spec = IPC_CALLS[name];
  const parsed = spec.request.safeParse(request ?? {});
  if (!parsed.success) return { ok: false, code: 'invalid_request', message: describeIssue(parsed.error) };
  try {
    const value = await backend.handle(name, parsed.data);
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      options.onUnexpectedError?.(name, new Error(`response does not match the contract: ${describeIssue(checked.error)}`));
      return { ok: false, code: 'internal_error', message: 'Something went wrong in the app; the problem has been logged.' };
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    if (isCodedError(error)) return { ok: false, code: error.code, message: error.message, ...conversationIdsOf(error.details) };
    options.onUnexpectedError?.(name, error);
    return { ok: false, code: 'internal_error', message: 'Something went wrong in the app; the problem has been logged.' };
  }
}
