import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';
const PREFIX = 'sha256=';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** The `X-Hub-Signature-256` value Meta sends: HMAC-SHA256 of the raw body with the app secret. */
export function signWebhookBody(rawBody: Buffer | string, appSecret: string): string {
  return PREFIX + crypto.createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * Checks the header against the raw bytes (never a re-serialised body), in constant time.
 * A missing, malformed or wrong header is simply false.
 */
export function isValidWebhookSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (header === undefined || !header.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length);
  if (!HEX_SHA256.test(hex)) return false;
  const expected = crypto.createHmac('sha256', appSecret).update(rawBody).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
