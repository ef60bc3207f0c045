/**
 * Playwright bindings carry JSON; Electron's IPC carries Uint8Array (a file's bytes from getMedia)
 * by structured clone. The harness wraps byte arrays as base64 in the test process and unwraps
 * them in the page, so the renderer gets a real Uint8Array as it would in the app.
 */
const MARK = '__sportelloBytes';

type Wrapped = { readonly [MARK]: string };

function isWrapped(value: unknown): value is Wrapped {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[MARK] === 'string';
}

/** Test-process side (Node): Uint8Array → { __sportelloBytes: base64 }, anywhere in the value. */
export function encodeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [MARK]: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeBytes);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeBytes(inner)]));
  return value;
}

/** Page side: the reverse, with the browser's atob (no Buffer in a page). */
export function decodeBytes(value: unknown): unknown {
  if (isWrapped(value)) {
    const binary = (globalThis as unknown as { atob(data: string): string }).atob(value[MARK]);
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  }
  if (Array.isArray(value)) return value.map(decodeBytes);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decodeBytes(inner)]));
  return value;
}
