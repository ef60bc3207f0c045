/**
 * How deep a parsed JSON value nests, measured without recursion: a signed body may nest as deep
 * as its 3 MB allow, and anything recursive over it (JSON.stringify, a schema) overflows the stack.
 */

/** Meta's webhooks nest under 15 levels; this leaves room for fields Meta adds later. */
export const MAX_WEBHOOK_DEPTH = 64;

/** True when `value` has arrays or objects nested more than `limit` levels deep (the root is level 1). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}
