/** How long something has waited, in the largest whole unit that says it: under a minute, minutes, hours, days. */
export type Waited = { readonly unit: 'moment' | 'minutes' | 'hours' | 'days'; readonly count: number };

export function waitedFor(ms: number): Waited {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return { unit: 'moment', count: 0 };
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: 'hours', count: hours };
  return { unit: 'days', count: Math.floor(hours / 24) };
}
