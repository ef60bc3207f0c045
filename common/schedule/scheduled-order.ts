/**
 * A conversation's scheduled messages in the order the server lists them
 * (server/inbox/scheduled-views.ts): pending and sending in due order (`sendAt`, then id), then
 * the last 50 that went, came back or were cancelled, latest change first. The workstation's
 * cache and the screen keep the same order when a feed event changes one.
 */
import type { ScheduledMessageView } from './scheduled-message.js';

export const WENT_SHOWN = 50;

const waits = (item: ScheduledMessageView) => item.state === 'pending' || item.state === 'sending';

export function orderScheduled(items: readonly ScheduledMessageView[]): ScheduledMessageView[] {
  const waiting = items.filter(waits).sort((a, b) => a.sendAt - b.sendAt || a.id - b.id);
  const went = items
    .filter((item) => !waits(item))
    .sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)
    .slice(0, WENT_SHOWN);
  return [...waiting, ...went];
}

/** The list with `changed` in place of its earlier state (or added), in order. */
export function withScheduled(items: readonly ScheduledMessageView[], changed: ScheduledMessageView): ScheduledMessageView[] {
  const earlier = items.find((item) => item.id === changed.id);
  if (earlier !== undefined && earlier.updatedAt > changed.updatedAt) return [...items];
  return orderScheduled([...items.filter((item) => item.id !== changed.id), changed]);
}
