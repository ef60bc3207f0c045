/**
 * Pairing a workstation: the client asks with its machine ID and public key, the server answers
 * with short one-time codes (rotated on request) and an approval link for the QR, and nothing is
 * paired until an admin approves a current code. An approval binds that machine ID to that key;
 * a new key for an active machine replaces the old one only through such an approval. A request
 * never ends another's pending pairing (pairing-admission.ts): several may wait for one machine
 * ID until they expire or an admin acts.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeviceProof } from '../../common/api/device-proof.js';
import type { DeviceState, PairingCodeGrant, PairingRequest, PairingStarted, PairingState } from '../../common/api/pairing.js';
import { replacesActiveKey } from '../../common/devices/key-replacement.js';
import { formatCode, PAIRING_CODE_LENGTH } from '../../common/devices/pairing-code.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../audit/actor.js';
import { randomCode } from '../credentials/random-code.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import type { ServerKey } from '../secrets/server-key.js';
import { cacheShareContext } from '../sessions/session-grant.js';
import { endSessions } from '../sessions/session-store.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { DeviceRow, PairingRow, RetiredDeviceKeyRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { DeviceProofError, isUsablePublicKey, isValidProofSignature, keyFingerprint, spendProofNonce } from './device-proofs.js';
import { admitPairingRequest, MAX_PENDING_PAIRINGS_PER_MACHINE } from './pairing-admission.js';
import { KEY_REPLACED_REASON, markRetiredKeyTold, reinstateDeviceKey, retireDeviceKey, untoldRetiredKey } from './retired-keys.js';

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

export class PairingError extends CodedError {}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PairingError };

const CODE_INVALID = () =>
  new PairingError('pairing_code_invalid', 'This code is not valid: it may have expired or been replaced. Use the code the workstation shows now.');

export class PairingService {
  readonly #deps: PairingDeps;

  constructor(deps: PairingDeps) {
    this.#deps = deps;
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
    const details = { machineId: input.machineId, hostname: input.hostname, os: input.os, appVersion: input.appVersion, storageBackend: input.storageBackend, keyFingerprint: fingerprint };
    const outcome = await this.#deps.committer.submit(async (trx): Promise<Outcome<PairingStarted>> => {
      if (proof !== undefined) await spendProofNonce(trx, proof, now);
      const refuse = async (error: PairingError, deviceId: number | null): Promise<Outcome<PairingStarted>> => {
        await appendAudit(trx, { event: 'pairing.refused', outcome: 'refused', ...audit, deviceId, details: { ...details, reason: error.code } }, now);
        return { ok: false, error };
      };
      const device = await trx.selectFrom('devices').selectAll().where('machine_id', '=', input.machineId).executeTakeFirst();
      if (device?.status === 'revoked') {
        return refuse(new PairingError('device_revoked', 'This workstation was revoked by an administrator; it can pair again only after an admin lifts the revocation.'), device.id);
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
          new PairingError('secret_storage_insecure', 'This workstation has no protected secret storage (no keyring): install and unlock one (e.g. GNOME Keyring), or ask IT.'),
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
      const admission = await admitPairingRequest(trx, { deviceId, publicKey: input.publicKey, proven: proof !== undefined, sourceAddress }, now, PAIRING_TTL_MS);
      if (!admission.ok) return refuse(new PairingError(admission.code, admission.message), deviceId);
      // An active device keeps its key and details until an admin approves the replacement; a
      // request that joins another key's waiting pairing changes nothing the admins see of the device.
      if (device !== undefined && device.status !== 'active' && !admission.contested) {
        await trx
          .updateTable('devices')
          .set({ hostname: input.hostname, os: input.os, app_version: input.appVersion, storage_backend: input.storageBackend, status: 'pending', last_seen_at: now, updated_at: now })
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
        { event: 'pairing.requested', outcome: 'ok', ...audit, deviceId, details: { ...details, pairingId: pairing.id, replacesKey: device?.status === 'active', contested: admission.contested, replacedOwn: admission.replacedOwn } },
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
    await this.#spend(proof, pairing.device_id, now);
    const status = pairing.status === 'pending' && pairing.expires_at <= now ? 'expired' : pairing.status;
    return { status, expiresAt: pairing.expires_at };
  }

  /** What the server knows of the machine that signed the proof, with the key that signed it. */
  async deviceStatus(proof: DeviceProof): Promise<DeviceState> {
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
    await this.#spend(proof, device.id, now);
    if (device.status === 'revoked') return { status: 'revoked', label: device.label, revokedReason: device.revoked_reason ?? 'Revoked by an administrator.' };
    return { status: device.status, label: device.label };
  }

  /** A retired key is answered `revoked` (its install wipes itself), and noted as told. */
  async #tellRetired(proof: DeviceProof, device: DeviceRow, retired: RetiredDeviceKeyRow, now: number): Promise<DeviceState> {
    await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, proof, now);
      await markRetiredKeyTold(trx, retired, `machine:${proof.machineId.slice(0, 12)}`, now);
    });
    return { status: 'revoked', label: device.label, revokedReason: retired.reason, ...(retired.cause === 'key_replaced' ? { reasonCode: 'key_replaced' as const } : {}) };
  }

  /** Spends the proof's nonce and notes that the device was heard from. */
  async #spend(proof: DeviceProof, deviceId: number, now: number): Promise<void> {
    await this.#deps.committer.submit(async (trx) => {
      await spendProofNonce(trx, proof, now);
      await trx.updateTable('devices').set({ last_seen_at: now }).where('id', '=', deviceId).execute();
    });
  }

  /** The pending pairing a code names, for the person deciding to compare with the workstation's screen. */
  async findByCode(code: string): Promise<{ pairing: PairingRow; device: DeviceRow }> {
    const now = this.#deps.now();
    const found = await this.#deps.db
      .selectFrom('pairing_codes')
      .innerJoin('pairings', 'pairings.id', 'pairing_codes.pairing_id')
      .innerJoin('devices', 'devices.id', 'pairings.device_id')
      .select(['pairings.id as pairing_id', 'pairing_codes.used_at', 'pairing_codes.expires_at as code_expires_at'])
      .where('pairing_codes.code_hash', '=', this.#deps.key.mac('pairing', code))
      .executeTakeFirst();
    if (found === undefined || found.used_at !== null || found.code_expires_at <= now) throw CODE_INVALID();
    const pairing = await this.#deps.db.selectFrom('pairings').selectAll().where('id', '=', found.pairing_id).executeTakeFirstOrThrow();
    if (pairing.status !== 'pending' || pairing.expires_at <= now) throw CODE_INVALID();
    const device = await this.#deps.db.selectFrom('devices').selectAll().where('id', '=', pairing.device_id).executeTakeFirstOrThrow();
    return { pairing, device };
  }

  /**
   * `refuseKeyReplacement`: approve only if this does not replace an active device's key (the
   * client API, unless the admin confirmed it). The phone page and the CLI warn before they call.
   */
  async approve(code: string, actor: Actor, options: { readonly refuseKeyReplacement?: boolean } = {}): Promise<DeviceRow> {
    const now = this.#deps.now();
    const share = crypto.randomBytes(32);
    const result = await this.#deps.committer.submit(async (trx): Promise<Outcome<{ device: DeviceRow; endedSessions: number[] }>> => {
      if (options.refuseKeyReplacement === true) {
        const unconfirmed = await this.#refuseUnconfirmedReplacement(trx, code, actor, now);
        if (unconfirmed !== undefined) return { ok: false, error: unconfirmed };
      }
      const decided = await this.#decide(trx, code, actor, 'approved', now);
      if (!decided.ok) return decided;
      const { pairing, device } = decided.value;
      const replacesKey = device.status === 'active' && device.public_key !== pairing.public_key;
      // The admin has acted for this machine ID: the other requests waiting for it are over.
      await trx.updateTable('pairings').set({ status: 'superseded' }).where('device_id', '=', device.id).where('status', '=', 'pending').execute();
      await trx
        .updateTable('devices')
        .set({
          status: 'active',
          public_key: pairing.public_key,
          key_fingerprint: pairing.key_fingerprint,
          hostname: pairing.hostname,
          os: pairing.os,
          app_version: pairing.app_version,
          storage_backend: pairing.storage_backend,
          approved_by: actor.name,
          approved_at: now,
          cache_share_sealed: this.#deps.key.seal(share, cacheShareContext(device.id)),
          failed_logins: 0,
          failed_logins_since: null,
          updated_at: now,
        })
        .where('id', '=', device.id)
        .execute();
      await reinstateDeviceKey(trx, device.id, pairing.public_key);
      let endedSessions: number[] = [];
      if (replacesKey) {
        // The old install keeps a cache it no longer has the right to: its key is told `revoked` once.
        await retireDeviceKey(trx, device, 'key_replaced', KEY_REPLACED_REASON, now);
        endedSessions = await endSessions(trx, { deviceId: device.id }, 'key_replaced', now);
        await appendAudit(
          trx,
          { event: 'device.key_replaced', outcome: 'ok', actor: actor.name, agentId: actor.agentId, deviceId: device.id, sourceAddress: actor.sourceAddress, details: { oldKeyFingerprint: device.key_fingerprint, newKeyFingerprint: pairing.key_fingerprint } },
          now,
        );
      }
      const updated = await trx.selectFrom('devices').selectAll().where('id', '=', device.id).executeTakeFirstOrThrow();
      return { ok: true as const, value: { device: updated, endedSessions } };
    });
    if (!result.ok) throw result.error;
    if (result.value.endedSessions.length > 0) this.#deps.security.sessionsEnded(result.value.endedSessions, 'key_replaced');
    return result.value.device;
  }

  /** The refusal, audited, when the code names a pending pairing that would replace an active device's key. */
  async #refuseUnconfirmedReplacement(trx: StoreTransaction, code: string, actor: Actor, now: number): Promise<PairingError | undefined> {
    const found = await trx
      .selectFrom('pairing_codes')
      .innerJoin('pairings', 'pairings.id', 'pairing_codes.pairing_id')
      .innerJoin('devices', 'devices.id', 'pairings.device_id')
      .select(['devices.id as device_id', 'devices.status', 'devices.key_fingerprint as current_fingerprint', 'pairings.key_fingerprint as new_fingerprint', 'pairings.status as pairing_status'])
      .where('pairing_codes.code_hash', '=', this.#deps.key.mac('pairing', code))
      .executeTakeFirst();
    if (found === undefined || found.pairing_status !== 'pending') return undefined;
    if (!replacesActiveKey({ status: found.status, keyFingerprint: found.current_fingerprint }, { keyFingerprint: found.new_fingerprint })) return undefined;
    await appendAudit(
      trx,
      {
        event: 'pairing.approved',
        outcome: 'refused',
        actor: actor.name,
        agentId: actor.agentId,
        deviceId: found.device_id,
        sourceAddress: actor.sourceAddress,
        details: { reason: 'key_replacement_unconfirmed', oldKeyFingerprint: found.current_fingerprint, newKeyFingerprint: found.new_fingerprint },
      },
      now,
    );
    return new PairingError(
      'key_replacement_unconfirmed',
      `This workstation is already paired: approving replaces its key (${found.current_fingerprint ?? '-'}) with ${found.new_fingerprint} and ends its open sessions. Nothing changed: confirm the replacement to approve.`,
    );
  }

  async reject(code: string, actor: Actor): Promise<DeviceRow> {
    const now = this.#deps.now();
    const result = await this.#deps.committer.submit(async (trx) => {
      const decided = await this.#decide(trx, code, actor, 'rejected', now);
      if (!decided.ok) return decided;
      const { device } = decided.value;
      const stillWaiting = await trx.selectFrom('pairings').select('id').where('device_id', '=', device.id).where('status', '=', 'pending').where('expires_at', '>', now).executeTakeFirst();
      if (device.status !== 'active' && stillWaiting === undefined) await trx.updateTable('devices').set({ status: 'rejected', updated_at: now }).where('id', '=', device.id).execute();
      const updated = await trx.selectFrom('devices').selectAll().where('id', '=', device.id).executeTakeFirstOrThrow();
      return { ok: true as const, value: updated };
    });
    if (!result.ok) throw result.error;
    return result.value;
  }

  async #decide(
    trx: StoreTransaction,
    code: string,
    actor: Actor,
    decision: 'approved' | 'rejected',
    now: number,
  ): Promise<Outcome<{ pairing: PairingRow; device: DeviceRow }>> {
    const event = decision === 'approved' ? 'pairing.approved' : 'pairing.rejected';
    const codeRow = await trx.selectFrom('pairing_codes').selectAll().where('code_hash', '=', this.#deps.key.mac('pairing', code)).executeTakeFirst();
    const pairing = codeRow === undefined ? undefined : await trx.selectFrom('pairings').selectAll().where('id', '=', codeRow.pairing_id).executeTakeFirst();
    if (codeRow === undefined || pairing === undefined || codeRow.used_at !== null || codeRow.expires_at <= now || pairing.status !== 'pending' || pairing.expires_at <= now) {
      await appendAudit(
        trx,
        { event, outcome: 'refused', actor: actor.name, agentId: actor.agentId, deviceId: pairing?.device_id ?? null, sourceAddress: actor.sourceAddress, details: { reason: 'pairing_code_invalid' } },
        now,
      );
      return { ok: false, error: CODE_INVALID() };
    }
    await trx.updateTable('pairing_codes').set({ used_at: now }).where('id', '=', codeRow.id).execute();
    await trx.updateTable('pairings').set({ status: decision, decided_by: actor.name, decided_at: now }).where('id', '=', pairing.id).execute();
    const device = await trx.selectFrom('devices').selectAll().where('id', '=', pairing.device_id).executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      {
        event,
        outcome: 'ok',
        actor: actor.name,
        agentId: actor.agentId,
        deviceId: device.id,
        sourceAddress: actor.sourceAddress,
        details: { pairingId: pairing.id, machineId: device.machine_id, hostname: pairing.hostname, keyFingerprint: pairing.key_fingerprint },
      },
      now,
    );
    return { ok: true, value: { pairing, device } };
  }

  async #issueCode(trx: StoreTransaction, pairingId: number, issued: number, now: number): Promise<PairingCodeGrant> {
    await trx.updateTable('pairing_codes').set({ expires_at: now }).where('pairing_id', '=', pairingId).where('used_at', 'is', null).where('expires_at', '>', now).execute();
    const code = randomCode(PAIRING_CODE_LENGTH);
    const expiresAt = now + PAIRING_CODE_TTL_MS;
    await trx.insertInto('pairing_codes').values({ pairing_id: pairingId, code_hash: this.#deps.key.mac('pairing', code), issued_at: now, expires_at: expiresAt, used_at: null }).execute();
    await trx.updateTable('pairings').set({ codes_issued: issued + 1 }).where('id', '=', pairingId).execute();
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
