/**
 * Today's date, for times that read differently once their day has passed ("14:05" today,
 * "3 Mar, 14:05" after), in the zone times are shown in (display-time-zone.ts). One shared check
 * every CHECK_MS, whoever listens, and a re-render only when the date has changed (or the zone):
 * the 30-second clock of countdowns does not touch them. A check rather than a timer set for
 * midnight, so a machine waking from sleep or moved to another time zone catches up within one
 * interval.
 */
import { useSyncExternalStore } from 'react';
import { displayTimeZone, onDisplayTimeZone } from './display-time-zone.js';
import { dayKey } from './time-format.js';

const CHECK_MS = 30_000;

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let stopZone: (() => void) | null = null;
/** An instant of today (when the day was last seen to change), and its day. */
let today = Date.now();
let todayKey = dayKey(today, displayTimeZone());

function check(): void {
  const now = Date.now();
  const key = dayKey(now, displayTimeZone());
  if (key === todayKey) return;
  today = now;
  todayKey = key;
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    // Nobody was listening, so nobody checked: React reads the snapshot again after subscribing.
    check();
    timer = setInterval(check, CHECK_MS);
    stopZone = onDisplayTimeZone(check);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
      stopZone?.();
      stopZone = null;
    }
  };
}

const readToday = () => today;

/** An instant of today in the zone times are shown in; the component re-renders when the date changes. */
export function useToday(): number {
  return useSyncExternalStore(subscribe, readToday);
}
