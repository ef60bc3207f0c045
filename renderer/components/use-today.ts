/**
 * Today's date, for times that read differently once their day has passed ("14:05" today,
 * "3 Mar, 14:05" after). One shared check every CHECK_MS, whoever listens, and a re-render only
 * when the date has changed: the 30-second clock of countdowns does not touch them. A check
 * rather than a timer set for midnight, so a machine waking from sleep or moved to another time
 * zone catches up within one interval.
 */
import { useSyncExternalStore } from 'react';

const CHECK_MS = 30_000;

/** Local midnight of the day `at` falls on. */
export function startOfDay(at: number): number {
  const day = new Date(at);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let today = startOfDay(Date.now());

function check(): void {
  const now = startOfDay(Date.now());
  if (now === today) return;
  today = now;
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    // Nobody was listening, so nobody checked: React reads the snapshot again after subscribing.
    today = startOfDay(Date.now());
    timer = setInterval(check, CHECK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const readToday = () => today;

/** Local midnight of today; the component re-renders when the date changes. */
export function useToday(): number {
  return useSyncExternalStore(subscribe, readToday);
}
