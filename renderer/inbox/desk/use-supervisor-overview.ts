/**
 * The supervisor view's figures, kept live: read again every few seconds (who is online changes
 * without any feed event reaching this workstation) and soon after any conversation of the
 * supervisor's teams changes on the feed (a queue grows or shrinks), never more than once per
 * burst of events.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SupervisorOverview } from '../../../common/api/supervision.js';
import type { IpcFailure } from '../../../common/ipc/ipc-result.js';
import { settle } from '../../api/use-action.js';
import { useInboxEvents } from '../use-inbox-events.js';

export const OVERVIEW_REFRESH_MS = 5_000;
const AFTER_EVENT_MS = 300;

export function useSupervisorOverview(): { overview: SupervisorOverview | null; failure: IpcFailure | null; loadedAt: number | null } {
  const [overview, setOverview] = useState<SupervisorOverview | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [loadedAt, setLoadedAt] = useState<number | null>(null);
  const soon = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const load = useCallback(() => {
    void settle(window.sportello.getSupervisorOverview({})).then((result) => {
      if (result.ok) {
        setOverview(result.value);
        setFailure(null);
        setLoadedAt(Date.now());
      } else setFailure(result);
    });
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, OVERVIEW_REFRESH_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(soon.current);
    };
  }, [load]);
  useInboxEvents((event) => {
    if (event.type !== 'conversation' && event.type !== 'message' && event.type !== 'conversation_hidden' && event.type !== 'resync') return;
    if (soon.current !== undefined) return;
    soon.current = setTimeout(() => {
      soon.current = undefined;
      load();
    }, AFTER_EVENT_MS);
  });
  return { overview, failure, loadedAt };
}
