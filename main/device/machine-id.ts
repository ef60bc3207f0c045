import crypto from 'node:crypto';
import { CodedError } from '../../common/errors/coded-error.js';

/**
 * The machine ID IT registers: an HMAC of the OS machine ID under a key fixed for this app, so
 * the OS value itself never leaves main and cannot be correlated with other software's IDs.
 * The key is in the app, so anyone can compute the ID of any raw value: it names a machine, it
 * proves nothing (the device key and an admin's approval do).
 */
const APP_MACHINE_ID_KEY = 'sportello/machine-id/v1';

export function appScopedMachineId(rawMachineId: string): string {
  return crypto.createHmac('sha256', APP_MACHINE_ID_KEY).update(rawMachineId.trim().toLowerCase()).digest('hex');
}

/** What the OS gives as its machine ID: systemd's 32 hex digits (Linux), or a UUID (macOS, Windows, FreeBSD). */
const OS_MACHINE_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const MACHINE_ID_UNAVAILABLE =
  'This computer’s operating system gives no machine ID (on Linux, /etc/machine-id is missing or empty), so Sportello cannot tell it apart from another computer with the same name and will not ask to pair it. Ask IT to create one (on Linux: systemd-machine-id-setup), then restart Sportello.';

/**
 * The raw OS machine ID, if it is one. node-machine-id answers the hostname when Linux has no
 * machine ID, and anything else its platform command printed: a guessable name, an empty or
 * all-zero placeholder is refused rather than turned into an ID that others share or can guess.
 */
export function usableRawMachineId(raw: string, hostname: string): string {
  const value = raw.trim().toLowerCase();
  const name = hostname.replace(/\s+/g, '').toLowerCase();
  const placeholder = /^[0-]*$/.test(value) || /^[f-]*$/.test(value);
  if (value === name || !OS_MACHINE_ID.test(value) || placeholder) throw new CodedError('machine_id_unavailable', MACHINE_ID_UNAVAILABLE);
  return value;
}
