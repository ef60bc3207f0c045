import { useEffect, useState } from 'react';
import type { ConnectionState } from '../../common/ipc/app-state.js';
import { settle } from '../api/use-action.js';

/** Whether main's link to the server is up, as main reports it. */
export function useConnection(): ConnectionState['status'] | null {
  const [status, setStatus] = useState<ConnectionState['status'] | null>(null);
  useEffect(() => {
    const unsubscribe = window.sportello.on('connection', (state) => setStatus(state.status));
    void settle(window.sportello.getConnection({})).then((result) => {
      if (result.ok) setStatus((current) => current ?? result.value.status);
    });
    return unsubscribe;
  }, []);
  return status;
}
