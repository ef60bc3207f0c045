import crypto from 'node:crypto';

/**
 * The machine ID IT registers: an HMAC of the OS machine ID under a key fixed for this app, so
 * the OS value itself never leaves main and cannot be correlated with other software's IDs.
 */
const APP_MACHINE_ID_KEY = 'sportello/machine-id/v1';

export function appScopedMachineId(rawMachineId: string): string {
  return crypto.createHmac('sha256', APP_MACHINE_ID_KEY).update(rawMachineId.trim().toLowerCase()).digest('hex');
}
