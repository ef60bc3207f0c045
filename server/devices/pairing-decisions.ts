/**
 * An admin's decision on a pending pairing, by the code the workstation shows (the phone page,
 * the admin screen, the CLI): the pairing it names, for comparing with the workstation's screen,
 * then approve or reject. An approval binds the machine ID to the key it asked with and seals it
 * a new cache-key share; replacing an active machine's key retires the old key (its install is
 * told `revoked`) and ends the machine's sessions. Every decision, and every refused one, is
 * audited.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { replacesActiveKey } from '../../common/devices/key-replacement.js';
import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import type { ServerKey } from '../secrets/server-key.js';
import { cacheShareContext } from '../sessions/session-grant.js';
import { endSessions } from '../sessions/session-store.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import type { DeviceRow, PairingRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { pairingCodeInvalid, PairingError } from './pairing-errors.js';
import { KEY_REPLACED_REASON, reinstateDeviceKey, retireDeviceKey } from './retired-keys.js';

export interface PairingDecisionDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly key: ServerKey;
  readonly security: SecurityNotifier;
  readonly now: () => number;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PairingError };

export class PairingDecisions {
  readonly #deps: PairingDecisionDeps;

  constructor(deps: PairingDecisionDeps) {
    this.#deps = deps;
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
    if (found === undefined || found.used_at !== null || found.code_expires_at <= now) throw pairingCodeInvalid();
    const pairing = await this.#deps.db.selectFrom('pairings').selectAll().where('id', '=', found.pairing_id).executeTakeFirstOrThrow();
    if (pairing.status !== 'pending' || pairing.expires_at <= now) throw pairingCodeInvalid();
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
          {
            event: 'device.key_replaced',
            outcome: 'ok',
            actor: actor.name,
            agentId: actor.agentId,
            deviceId: device.id,
            sourceAddress: actor.sourceAddress,
            details: { oldKeyFingerprint: device.key_fingerprint, newKeyFingerprint: pairing.key_fingerprint },
          },
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
      .select([
        'devices.id as device_id',
        'devices.status',
        'devices.key_fingerprint as current_fingerprint',
        'pairings.key_fingerprint as new_fingerprint',
        'pairings.status as pairing_status',
      ])
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
      const stillWaiting = await trx
        .selectFrom('pairings')
        .select('id')
        .where('device_id', '=', device.id)
        .where('status', '=', 'pending')
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (device.status !== 'active' && stillWaiting === undefined)
        await trx.updateTable('devices').set({ status: 'rejected', updated_at: now }).where('id', '=', device.id).execute();
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
    if (
      codeRow === undefined ||
      pairing === undefined ||
      codeRow.used_at !== null ||
      codeRow.expires_at <= now ||
      pairing.status !== 'pending' ||
      pairing.expires_at <= now
    ) {
      await appendAudit(
        trx,
        {
          event,
          outcome: 'refused',
          actor: actor.name,
          agentId: actor.agentId,
          deviceId: pairing?.device_id ?? null,
          sourceAddress: actor.sourceAddress,
          details: { reason: 'pairing_code_invalid' },
        },
        now,
      );
      return { ok: false, error: pairingCodeInvalid() };
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
}
