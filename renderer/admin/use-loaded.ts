import { useCallback, useEffect, useState } from 'react';
import type { IpcFailure, IpcResult } from '../../common/ipc/ipc-result.js';
import { settle } from '../api/use-action.js';

/** Something an admin screen lists, loaded when shown and again after each change. */
export function useLoaded<T>(load: () => Promise<IpcResult<T>>) {
  const [value, setValue] = useState<T | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const reload = useCallback(() => {
    void settle(load()).then((result) => {
      if (result.ok) {
        setValue(result.value);
        setFailure(null);
      } else {
        setFailure(result);
      }
    });
  }, [load]);
  useEffect(reload, [reload]);
  return { value, failure, reload };
}
