/**
 * The renderer's one origin: a privileged standard scheme served by main from the built
 * renderer directory. Nothing is ever loaded from file://.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'sportello';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` belongs to the renderer's origin. WHATWG URL gives a non-special scheme an
 * opaque origin ("null"), so scheme, host (which includes any port) and credentials are compared
 * one by one instead of `new URL(url).origin`.
 */
export function isAppOrigin(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}
