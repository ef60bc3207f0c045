/**
 * Where a page of a newest-first list ends: the last item's time and id (ties on time broken by
 * id). The server and the client's cache write and read the same cursors, so a page started in
 * one can be continued in the other. Opaque to the renderer.
 */
export type PagePosition = readonly [at: number, id: number];

export function encodePageCursor([at, id]: PagePosition): string {
  return `${at}_${id}`;
}

/** The position a cursor names, or undefined when it is not one of ours. */
export function decodePageCursor(cursor: string): PagePosition | undefined {
  const match = /^(\d{1,16})_(\d{1,16})$/.exec(cursor);
  if (match === null) return undefined;
  const at = Number(match[1]);
  const id = Number(match[2]);
  return Number.isSafeInteger(at) && Number.isSafeInteger(id) ? [at, id] : undefined;
}

/** Negative when `a` comes before `b` in a newest-first list, zero when they are the same place. */
export function comparePositions(a: PagePosition, b: PagePosition): number {
  return b[0] - a[0] || b[1] - a[1];
}
