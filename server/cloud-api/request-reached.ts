/**
 * Whether a failed fetch may have delivered its request. A connection that was never made
 * (refused, no such host, the connect timed out, the certificate refused) carried nothing: the
 * call can be made again. Anything after that (reset, closed before the answer, our timeout
 * while waiting) may have reached Meta, which then sent the message; sending it again would
 * reach the customer twice.
 */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function requestMayHaveArrived(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at !== null && typeof at === 'object' && depth < 5; at = (at as { cause?: unknown }).cause, depth += 1) {
    const { code, errors } = at as { code?: unknown; errors?: unknown };
    if (typeof code === 'string' && NEVER_CONNECTED.has(code)) return false;
    // Happy eyeballs: every address refused (an AggregateError of connect errors).
    if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => !requestMayHaveArrived(inner))) return false;
  }
  return true;
}
