/**
 * What a workstation is told when it asks what it is: unknown, pending, active, rejected or
 * revoked, and only when the proof is signed by a key the server knows for that machine (its
 * paired key, or one it asked to pair with). A key that lost its right (revoked, or replaced by a
 * new pairing) is told `revoked` until it has been told once, so its install wipes itself.
 */
import type { Kysely } from 'kysely';
import type { DeviceProof } from '../../common/api/device-proof.js';
import type { DeviceState } from '../../common/api/pairing.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { DeviceRow, RetiredDeviceKeyRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { isValidProofSignature, spendProofNonce } from './device-proofs.js';
import { MAX_PENDING_PAIRINGS_PER_MACHINE } from './pairing-admission.js';
import { markRetiredKeyTold, untoldRetiredKey } from './retired-keys.js';

export interface DeviceStatusDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly now: () => number;
}

export class DeviceStatusAnswers {
  readonly #deps: DeviceStatusDeps;

  constructor(deps: DeviceStatusDeps) {
    this.#deps = deps;
  }

  /** What the server knows of the machine that signed the proof, with the key that signed it. */
  async answer(proof: DeviceProof): Promise<DeviceState> {
    const now = this.#deps.now();
    const device = await this.#deps.db.selectFrom('devices').selectAll().where('machine_id', '=', proof.machineId).executeTakeFirst();
    if (device === undefined) return { status: 'unknown' };
    let signedByDeviceKey = device.public_key !== null && isValidProofSignature(device.public_key, proof, 'device.status');
    if (!signedByDeviceKey || device.status === 'revoked') {
      const retired = await untoldRetiredKey(this.#deps.db, device.id, (publicKey) => isValidProofSignature(publicKey, proof, 'device.status'));
      if (retired !== undefined) return this.#tellRetired(proof, device, retired, now);
    }
    if (!signedByDeviceKey && device.status !== 'active') {
      // A pending, refused or revoked machine still learns its state from the key it asked to pair
      // with: any of the requests that may be waiting side by side, or the latest.
      const recent = await this.#deps.db
        .selectFrom('pairings')
        .select('public_key')
        .where('device_id', '=', device.id)
        .orderBy('id', 'desc')
        .limit(MAX_PENDING_PAIRINGS_PER_MACHINE + 1)
        .execute();
      signedByDeviceKey = recent.some((pairing) => isValidProofSignature(pairing.public_key, proof, 'device.status'));
    }
    if (!signedByDeviceKey) return { status: 'unknown' };
    await this.heardFrom(proof, device.id, now);
    if (device.status === 'revoked') return { status: 'revoked', label: device.label, revokedReason: device.revoked_reason ?? 'Revoked by an administrator.' };
    return { status: device.status, label: device.label };
  }

  /** A retired key is answered `revoked` (its install wipes itself), and noted as told. */
  async #tellRetired(proof: DeviceProof, device: DeviceRow, retired: RetiredDeviceKeyRow, now: number): Promise<DeviceState> {
    await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, proof, now);
      await markRetiredKeyTold(trx, retired, `machine:${proof.machineId.slice(0, 12)}`, now);
    });
    return {
      status: 'revoked',
      label: device.label,
      revokedReason: retired.reason,
      ...(retired.cause === 'key_replaced' ? { reasonCode: 'key_replaced' as const } : {}),
    };
  }

  /** Spends the proof's nonce and notes that the device was heard from. */
  async heardFrom(proof: DeviceProof, deviceId: number, now: number): Promise<void> {
    await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, proof, now);
      await trx.updateTable('devices').set({ last_seen_at: now }).where('id', '=', deviceId).execute();
    });
  }
}
