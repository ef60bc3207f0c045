/**
 * The time zone times are shown in: the signed-in agent's (their own pick, else their
 * workstation's, as the server keeps it), or the system's while none is known. One value for the
 * whole window, set by the inbox when the agent's status arrives or changes.
 */
import { useSyncExternalStore } from 'react';

let zone: string | undefined;
const listeners = new Set<() => void>();

export function setDisplayTimeZone(next: string | null | undefined): void {
  const value = next ?? undefined;
  if (value === zone) return;
  zone = value;
  for (const listener of [...listeners]) listener();
}

export function displayTimeZone(): string | undefined {
  return zone;
}

export function onDisplayTimeZone(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The zone to format times in (undefined: the system's); re-renders when it changes. */
export function useTimeZone(): string | undefined {
  return useSyncExternalStore(onDisplayTimeZone, displayTimeZone);
}
