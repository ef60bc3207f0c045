/**
 * Headers on every app:// response. The CSP gives the renderer its own files and nothing else:
 * no network (`connect-src 'none'`), no inline script or style, no plugins, no framing.
 */
export const RENDERER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const RENDERER_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};
