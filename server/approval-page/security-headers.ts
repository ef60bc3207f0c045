/**
 * The headers on every approval-page response. No scripts at all (CSP default-src 'none'), no
 * framing, nothing cached (the pages hold a CSRF token and a device's details), and HSTS when the
 * server itself runs HTTPS.
 *
 * Referrer-Policy is `same-origin`, not `no-referrer`: under `no-referrer` Chromium sends
 * `Origin: null` on the page's own form posts, which the Origin check must refuse. `same-origin`
 * sends nothing to any other origin (and the CSP lets the page load nothing from one), so the
 * approval URL's code still never leaves this server.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function pageSecurityHeaders(tls: boolean): Readonly<Record<string, string>> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}
