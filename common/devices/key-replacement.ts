/**
 * Approving a pairing for a device that is active with another key replaces that key and ends
 * its sessions (a reinstall, or someone claiming the machine's ID). Every place an admin approves
 * (the desktop admin screen, the phone page, the CLI) says so first, with both fingerprints; the
 * client API approves it only when the request confirms the replacement.
 */
export function replacesActiveKey(
  device: { readonly status: string; readonly keyFingerprint: string | null },
  pairing: { readonly keyFingerprint: string },
): boolean {
  return device.status === 'active' && device.keyFingerprint !== pairing.keyFingerprint;
}
