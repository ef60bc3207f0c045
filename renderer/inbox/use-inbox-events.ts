import { useEffect, useRef } from 'react';
import type { IpcEventPayload } from '../../common/ipc/contract.js';

export type InboxEvent = IpcEventPayload<'inbox'>;

/** Calls `listener` with every inbox event from main while the component is mounted. */
export function useInboxEvents(listener: (event: InboxEvent) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => window.sportello.on('inbox', (event) => latest.current(event)), []);
}
