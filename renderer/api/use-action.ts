/**
 * Runs one window.sportello call on the agent's behalf and remembers whether it is running and
 * how it failed, so a component can disable its button and show the error right beside it.
 */
import { useCallback, useRef, useState } from 'react';
import type { IpcFailure, IpcResult } from '../../common/ipc/ipc-result.js';

export interface Action<Args extends unknown[], T> {
  /** The value on success, null on failure (the failure is then in `failure`). */
  readonly run: (...args: Args) => Promise<T | null>;
  readonly pending: boolean;
  readonly failure: IpcFailure | null;
  readonly clearFailure: () => void;
}

/** A call that could not even reach main (the bridge itself broke) is a failure like any other. */
export async function settle<T>(call: Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  try {
    return await call;
  } catch (error) {
    return { ok: false, code: 'ipc_unavailable', message: error instanceof Error ? error.message : String(error) };
  }
}

export function useAction<Args extends unknown[], T>(call: (...args: Args) => Promise<IpcResult<T>>, onSuccess?: (value: T) => void): Action<Args, T> {
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  // The latest callbacks, so `run` stays stable while the component re-renders.
  const latest = useRef({ call, onSuccess });
  latest.current = { call, onSuccess };

  const run = useCallback(async (...args: Args): Promise<T | null> => {
    setPending(true);
    setFailure(null);
    const result = await settle(latest.current.call(...args));
    setPending(false);
    if (!result.ok) {
      setFailure(result);
      return null;
    }
    latest.current.onSuccess?.(result.value);
    return result.value;
  }, []);
  const clearFailure = useCallback(() => setFailure(null), []);
  return { run, pending, failure, clearFailure };
}
