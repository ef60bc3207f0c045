/**
 * The screen main allows, shared with every component. It changes when main pushes a `state`
 * event, and when a call that moves the state machine (login, unlock, …) returns the new one.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { AppState } from '../../common/ipc/app-state.js';
import { settle } from '../api/use-action.js';

interface AppStateHolder {
  /** null until main has answered once. */
  readonly state: AppState | null;
  readonly show: (state: AppState) => void;
}

const AppStateContext = createContext<AppStateHolder | null>(null);

export function AppStateProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AppState | null>(null);
  useEffect(() => {
    const unsubscribe = window.sportello.on('state', setState);
    void settle(window.sportello.getState({})).then((result) => {
      // An event that arrived meanwhile is newer than this answer.
      if (result.ok) setState((current) => current ?? result.value);
    });
    return unsubscribe;
  }, []);
  return <AppStateContext value={{ state, show: setState }}>{children}</AppStateContext>;
}

export function useAppState(): AppStateHolder {
  const holder = useContext(AppStateContext);
  if (holder === null) throw new Error('useAppState outside AppStateProvider');
  return holder;
}

/** For calls that answer with the next AppState: show it as soon as it comes back. */
export function useShowState(): (state: AppState) => void {
  return useAppState().show;
}
