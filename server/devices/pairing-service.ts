/**
 * Pairing a workstation: the client asks with its machine ID and public key, the server answers
 * with short one-time codes (rotated on request) and an approval link for the QR, and nothing is
 * paired until an admin approves a current code. An approval binds that machine ID to that key;
 * a new key for an active machine replaces the old one only through such an approval. A request
 * never ends another's pending pairing (pairing-admission.ts): several may wait for one machine
 * ID until they expire or an admin acts.
 *
 * This service is the workstation's side (asking, new codes, the pairing's status) and the one
 * door to the rest: what a machine is told of itself (device-status.ts) and the admin's decision
 * (pairing-decisions.ts).
 */
import type { Kysely } from 'kysely';
import type { DeviceProof } from '../../common/api/device-proof.js';
import type { DeviceState, PairingCodeGrant, PairingRequest, PairingStarted, PairingState } from '../../common/api/pairing.js';
import { formatCode, PAIRING_CODE_LENGTH } from '../../common/devices/pairing-code.js';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import { randomCode } from '../credentials/random-code.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import type { ServerKey } from '../secrets/server-key.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { DeviceRow, PairingRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { DeviceProofError, isUsablePublicKey, isValidProofSignature, keyFingerprint, spendProofNonce } from './device-proofs.js';
import { DeviceStatusAnswers } from './device-status.js';
import { admitPairingRequest } from './pairing-admission.js';
import { PairingDecisions } from './pairing-decisions.js';
import { PairingError } from './pairing-errors.js';
import { untoldRetiredKey } from './retired-keys.js';

export const PAIRING_TTL_MS = 15 * 60 * 1000;
/** A code is shown for about a minute; a little longer to type it. */
export const PAIRING_CODE_TTL_MS = 90_000;
export const MAX_CODES_PER_PAIRING = 20;

export interface PairingDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly requireAllowlist: boolean;
  readonly allowBasicTextStorage: boolean;
  /** Base URL of the approval page. */
  readonly publicUrl: () => string;
  readonly security: SecurityNotifier;
  readonly now: () => number;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PairingError };

export class PairingService {
  readonly #deps: PairingDeps;
  readonly #status: DeviceStatusAnswers;
  readonly #decisions: PairingDecisions;

  constructor(deps: PairingDeps) {
    this.#deps = deps;
    this.#status = new DeviceStatusAnswers(deps);
    this.#decisions = new PairingDecisions(deps);
  }

  approvalUrl(code: string): string {
    return `${this.#deps.publicUrl()}/pair?code=${formatCode(code)}`;
  }

  async requestPairing(input: PairingRequest, sourceAddress: string): Promise<PairingStarted> {
    if (!isUsablePublicKey(input.publicKey)) throw new PairingError('invalid_request', 'publicKey is not a usable Ed25519 public key.');
    const { proof } = input;
    if (proof !== undefined && (proof.machineId !== input.machineId || !isValidProofSignature(input.publicKey, proof, 'pairing.request'))) {
      throw new DeviceProofError('proof_invalid', 'The pairing request’s proof is not signed by the key it asks to pair: start a new pairing.');
    }
    const now = this.#deps.now();
    const fingerprint = keyFingerprint(input.publicKey);
    const audit = { actor: `machine:${input.machineId.slice(0, 12)}`, sourceAddress };
    const details = {
      machineId: input.machineId,
      hostname: input.hostname,
      os: input.os,
      appVersion: input.appVersion,
      storageBackend: input.storageBackend,
      keyFingerprint: fingerprint,
    };
    const outcome = await this.#deps.committer.submit(async (trx): Promise<Outcome<PairingStarted>> => {
      if (proof !== undefined) await spendProofNonce(trx, proof, now);
      const refuse = async (error: PairingError, deviceId: number | null): Promise<Outcome<PairingStarted>> => {
        await appendAudit(trx, { event: 'pairing.refused', outcome: 'refused', ...audit, deviceId, details: { ...details, reason: error.code } }, now);
        return { ok: false, error };
      };
      const device = await trx.selectFrom('devices').selectAll().where('machine_id', '=', input.machineId).executeTakeFirst();
      if (device?.status === 'revoked') {
        return refuse(
          new PairingError('device_revoked', 'This workstation was revoked by an administrator; it can pair again only after an admin lifts the revocation.'),
          device.id,
        );
      }
      // An install still holding a key that lost its right wipes itself (and makes a new key) before it pairs.
      // Not told here: the request proves nothing, anyone may post a public key.
      const retired = device === undefined ? undefined : await untoldRetiredKey(trx, device.id, (publicKey) => publicKey === input.publicKey);
      if (retired !== undefined) return refuse(new PairingError('device_revoked', retired.reason), device?.id ?? null);
      const allowlisted = await trx.selectFrom('device_allowlist').select(['label']).where('machine_id', '=', input.machineId).executeTakeFirst();
      if (this.#deps.requireAllowlist && allowlisted === undefined && device?.status !== 'active') {
        return refuse(
          new PairingError('device_not_allowlisted', `This workstation is not registered with IT. Give IT this machine ID to register: ${input.machineId}`),
          device?.id ?? null,
        );
      }
      if (input.storageBackend === 'basic_text' && !this.#deps.allowBasicTextStorage) {
        return refuse(
          new PairingError(
            'secret_storage_insecure',
            'This workstation has no protected secret storage (no keyring): install and unlock one (e.g. GNOME Keyring), or ask IT.',
          ),
          device?.id ?? null,
        );
      }
      if (device?.status === 'active' && device.public_key === input.publicKey) {
        return { ok: false, error: new PairingError('device_already_paired', 'This workstation is already paired with this key.') };
      }

      let deviceId: number;
      if (device === undefined) {
        const row = await trx
          .insertInto('devices')
          .values({
            machine_id: input.machineId,
            public_key: null,
            key_fingerprint: null,
            hostname: input.hostname,
            os: input.os,
            app_version: input.appVersion,
            storage_backend: input.storageBackend,
            label: allowlisted?.label ?? input.hostname,
            status: 'pending',
            approved_by: null,
            approved_at: null,
            revoked_by: null,
            revoked_at: null,
            revoked_reason: null,
            cache_share_sealed: null,
            failed_logins_since: null,
            last_seen_at: now,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        deviceId = row.id;
      } else {
        deviceId = device.id;
      }
      const admission = await admitPairingRequest(
        trx,
        { deviceId, publicKey: input.publicKey, proven: proof !== undefined, sourceAddress },
        now,
        PAIRING_TTL_MS,
      );
      if (!admission.ok) return refuse(new PairingError(admission.code, admission.message), deviceId);
      // An active device keeps its key and details until an admin approves the replacement; a
      // request that joins another key's waiting pairing changes nothing the admins see of the device.
      if (device !== undefined && device.status !== 'active' && !admission.contested) {
        await trx
          .updateTable('devices')
          .set({
            hostname: input.hostname,
            os: input.os,
            app_version: input.appVersion,
            storage_backend: input.storageBackend,
            status: 'pending',
            last_seen_at: now,
            updated_at: now,
          })
          .where('id', '=', deviceId)
          .execute();
      }
      const pairing = await trx
        .insertInto('pairings')
        .values({
          device_id: deviceId,
          public_key: input.publicKey,
          key_fingerprint: fingerprint,
          hostname: input.hostname,
          os: input.os,
          app_version: input.appVersion,
          storage_backend: input.storageBackend,
          status: 'pending',
          codes_issued: 0,
          created_at: now,
          expires_at: now + PAIRING_TTL_MS,
          decided_by: null,
          decided_at: null,
          requested_from: sourceAddress,
          contested: admission.contested ? 1 : 0,
        })
        .returning(['id', 'expires_at'])
        .executeTakeFirstOrThrow();
      const grant = await this.#issueCode(trx, pairing.id, 0, now);
      await appendAudit(
        trx,
        {
          event: 'pairing.requested',
          outcome: 'ok',
          ...audit,
          deviceId,
          details: {
            ...details,
            pairingId: pairing.id,
            replacesKey: device?.status === 'active',
            contested: admission.contested,
            replacedOwn: admission.replacedOwn,
          },
        },
        now,
      );
      return { ok: true, value: { ...grant, pairingId: pairing.id, expiresAt: pairing.expires_at, keyFingerprint: fingerprint } };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** A fresh code for a pending pairing (the client asks about every minute); earlier codes stop working. */
  async rotateCode(pairingId: number, proof: DeviceProof): Promise<PairingCodeGrant> {
    const pairing = await this.#pairingForProof(pairingId, proof, 'pairing.code');
    const now = this.#deps.now();
    return this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, proof, now);
      const current = await trx.selectFrom('pairings').select(['status', 'expires_at', 'codes_issued']).where('id', '=', pairing.id).executeTakeFirstOrThrow();
      if (current.status !== 'pending' || current.expires_at <= now) {
        throw new PairingError('pairing_not_pending', 'This pairing is no longer waiting for approval: start a new one.');
      }
      if (current.codes_issued >= MAX_CODES_PER_PAIRING) {
        throw new PairingError('pairing_codes_exhausted', 'This pairing has used all its codes: start a new pairing.');
      }
      return this.#issueCode(trx, pairing.id, current.codes_issued, now);
    });
  }

  async pairingStatus(pairingId: number, proof: DeviceProof): Promise<PairingState> {
    const pairing = await this.#pairingForProof(pairingId, proof, 'pairing.status');
    const now = this.#deps.now();
    await this.#status.heardFrom(proof, pairing.device_id, now);
    const status = pairing.status === 'pending' && pairing.expires_at <= now ? 'expired' : pairing.status;
    return { status, expiresAt: pairing.expires_at };
  }

  /** What the server knows of the machine that signed the proof, with the key that signed it. */
  deviceStatus(proof: DeviceProof): Promise<DeviceState> {
    return this.#status.answer(proof);
  }

  /** The pending pairing a code names, for the person deciding to compare with the workstation's screen. */
  findByCode(code: string): Promise<{ pairing: PairingRow; device: DeviceRow }> {
    return this.#decisions.findByCode(code);
  }

  /**
   * `refuseKeyReplacement`: approve only if this does not replace an active device's key (the
   * client API, unless the admin confirmed it). The phone page and the CLI warn before they call.
   */
  approve(code: string, actor: Actor, options: { readonly refuseKeyReplacement?: boolean } = {}): Promise<DeviceRow> {
    return this.#decisions.approve(code, actor, options);
  }

  reject(code: string, actor: Actor): Promise<DeviceRow> {
    return this.#decisions.reject(code, actor);
  }

  async #issueCode(trx: StoreTransaction, pairingId: number, issued: number, now: number): Promise<PairingCodeGrant> {
    await trx
      .updateTable('pairing_codes')
      .set({ expires_at: now })
      .where('pairing_id', '=', pairingId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    const code = randomCode(PAIRING_CODE_LENGTH);
    const expiresAt = now + PAIRING_CODE_TTL_MS;
    await trx
      .insertInto('pairing_codes')
      .values({ pairing_id: pairingId, code_hash: this.#deps.key.mac('pairing', code), issued_at: now, expires_at: expiresAt, used_at: null })
      .execute();
    await trx
      .updateTable('pairings')
      .set({ codes_issued: issued + 1 })
      .where('id', '=', pairingId)
      .execute();
    return { code: formatCode(code), codeExpiresAt: expiresAt, approvalUrl: this.approvalUrl(code), codesLeft: MAX_CODES_PER_PAIRING - issued - 1 };
  }

  /** The pairing, if the proof is signed by the key it was requested with. */
  async #pairingForProof(pairingId: number, proof: DeviceProof, purpose: 'pairing.code' | 'pairing.status'): Promise<PairingRow> {
    const row = await this.#deps.db
      .selectFrom('pairings')
      .innerJoin('devices', 'devices.id', 'pairings.device_id')
      .selectAll('pairings')
      .select('devices.machine_id')
      .where('pairings.id', '=', pairingId)
      .executeTakeFirst();
    if (row === undefined || row.machine_id !== proof.machineId || !isValidProofSignature(row.public_key, proof, purpose, String(pairingId))) {
      throw new PairingError('proof_invalid', 'This workstation could not prove it made this pairing request: start a new pairing.');
    }
    const { machine_id: _machineId, ...pairing } = row;
    return pairing;
  }
}
