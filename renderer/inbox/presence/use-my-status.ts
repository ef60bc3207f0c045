/**
 * The signed-in agent's availability and time zone, as main has them from the server: asked when
 * the inbox opens and kept up to date by main's `myStatus` event; times are shown in the zone.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MyStatus } from '../../../common/api/presence.js';
import { settle, useAction } from '../../api/use-action.js';
import type { Action } from '../../api/use-action.js';
import { setDisplayTimeZone } from '../../components/display-time-zone.js';

export interface MyStatusState {
  readonly status: MyStatus | null;
  readonly setAvailable: Action<[boolean], MyStatus>;
  readonly setTimeZone: Action<[string], MyStatus>;
}

export function useMyStatus(): MyStatusState {
  const [status, setStatus] = useState<MyStatus | null>(null);
  const keep = useCallback((next: MyStatus) => {
    setStatus(next);
    setDisplayTimeZone(next.timeZone);
  }, []);
  useEffect(() => {
    void settle(window.sportello.getMyStatus({})).then((result) => {
      if (result.ok) keep(result.value);
    });
    return window.sportello.on('myStatus', keep);
  }, [keep]);
  const setAvailable = useAction((available: boolean) => window.sportello.setAvailability({ available }), keep);
  const setTimeZone = useAction((timeZone: string) => window.sportello.setTimeZone({ timeZone }), keep);
  return { status, setAvailable, setTimeZone };
}
