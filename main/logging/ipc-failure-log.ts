/**
 * What main's log is told about IPC calls (main/index.ts hands these to the IPC registration):
 * a call that failed in a way no coded error describes (a bug) with its error, and a call refused
 * for coming from outside the app window. Never the request or the answer: those hold customers'
 * words.
 */
import type { MainLogger } from './main-logger.js';

export interface IpcFailureLog {
  onUnexpectedError(call: string, error: unknown): void;
  onForbiddenSender(call: string): void;
}

export function ipcFailureLog(logger: MainLogger): IpcFailureLog {
  return {
    onUnexpectedError: (call, error) => logger.error({ err: error, call }, 'an IPC call failed unexpectedly'),
    onForbiddenSender: (call) => logger.warn({ call }, 'refused an IPC call from outside the app window'),
  };
}
