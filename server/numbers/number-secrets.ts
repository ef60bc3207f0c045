/**
 * A number's access token and app secret are sealed under the server key (AES-256-GCM), each
 * bound to its number and its use, so a sealed token cannot be moved to another number's row
 * or passed off as an app secret.
 */
import type { ServerKey } from '../secrets/server-key.js';

export type NumberSecretKind = 'access-token' | 'app-secret';

function context(phoneNumberId: string, kind: NumberSecretKind): string {
  return `business-number:${phoneNumberId}:${kind}`;
}

export function sealNumberSecret(key: ServerKey, phoneNumberId: string, kind: NumberSecretKind, secret: string): string {
  return key.seal(Buffer.from(secret, 'utf8'), context(phoneNumberId, kind));
}

export function openNumberSecret(key: ServerKey, phoneNumberId: string, kind: NumberSecretKind, sealed: string): string {
  return key.open(sealed, context(phoneNumberId, kind)).toString('utf8');
}
