/**
 * How a device key's fingerprint is shown, the same on the workstation, the admin screen, the
 * approval page and the CLI, so IT compares like with like: the first 16 bytes of the key's
 * SHA-256 in eight groups of four hex digits.
 */
export const FINGERPRINT_HEX_LENGTH = 64;

export function formatKeyFingerprint(sha256Hex: string): string {
  if (!/^[0-9a-f]{64}$/i.test(sha256Hex)) throw new Error('formatKeyFingerprint expects a SHA-256 in hex');
  const groups = sha256Hex.slice(0, 32).toUpperCase().match(/.{4}/g) ?? [];
  return groups.join(' ');
}
