/**
 * What IT and admins do with devices: register machine IDs (one, or a CSV from the MDM), list
 * devices with their pending pairings, revoke a device (its sessions end, its socket closes, its
 * cache-key share is forgotten), and lift a revocation so the machine may pair again.
 */
import type { Kysely } from 'kysely';
import type { DeviceList, DeviceView, PendingPairing } from '../../common/api/admin.js';
import { MachineId } from '../../common/api/device-proof.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../audit/actor.js';
import type { SecurityNotifier } from '../events/security-notifier.js';
import { endSessions } from '../sessions/session-store.js';
import type { GroupCommitter } from '../store/group-commit.js';
import type { DeviceRow, PairingRow } from '../store/identity-schema.js';
import type { InboxDatabase } from '../store/schema.js';
import { retireDeviceKey } from './retired-keys.js';

export interface DeviceAdminDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly committer: GroupCommitter;
  readonly security: SecurityNotifier;
  readonly now: () => number;
}

export class DeviceAdminError extends CodedError {}

const MAX_LABEL = 100;

/** Parses the MDM's CSV (machine_id,label; optional header; # comments). Any bad line refuses the whole file. */
export function parseAllowlistCsv(csv: string): Array<{ machineId: string; label: string }> {
  const entries: Array<{ machineId: string; label: string }> = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  csv.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    const lineNumber = index + 1;
    if (line === '' || line.startsWith('#')) return;
    const comma = line.indexOf(',');
    const machineId = (comma < 0 ? line : line.slice(0, comma)).trim().replace(/^"|"$/g, '').toLowerCase();
    const label = (comma < 0 ? '' : line.slice(comma + 1)).trim().replace(/^"|"$/g, '').replace(/""/g, '"');
    if (entries.length === 0 && problems.length === 0 && /machine[_ ]?id/i.test(machineId)) return;
    if (!MachineId.safeParse(machineId).success) {
      problems.push(`line ${lineNumber}: "${machineId.slice(0, 80)}" is not a machine ID (64 hex characters)`);
      return;
    }
    if (label === '' || label.length > MAX_LABEL) {
      problems.push(`line ${lineNumber}: the label must be 1 to ${MAX_LABEL} characters`);
      return;
    }
    if (seen.has(machineId)) {
      problems.push(`line ${lineNumber}: machine ID ${machineId.slice(0, 12)}… appears twice`);
      return;
    }
    seen.add(machineId);
    entries.push({ machineId, label });
  });
  if (problems.length > 0) {
    throw new DeviceAdminError(
      'allowlist_csv_invalid',
      `The CSV was not imported (nothing changed): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}.`,
      {
        problems,
      },
    );
  }
  if (entries.length === 0) throw new DeviceAdminError('allowlist_csv_invalid', 'The CSV holds no machine IDs (expected lines of machine_id,label).');
  return entries;
}

export class DeviceAdmin {
  readonly #deps: DeviceAdminDeps;

  constructor(deps: DeviceAdminDeps) {
    this.#deps = deps;
  }

  async allow(
    entries: ReadonlyArray<{ machineId: string; label: string }>,
    actor: Actor,
    source: 'single' | 'csv',
  ): Promise<{ added: number; updated: number }> {
    const now = this.#deps.now();
    return this.#deps.committer.submit(async (trx) => {
      let added = 0;
      let updated = 0;
      for (const entry of entries) {
        const existing = await trx.selectFrom('device_allowlist').select('machine_id').where('machine_id', '=', entry.machineId).executeTakeFirst();
        if (existing === undefined) {
          await trx.insertInto('device_allowlist').values({ machine_id: entry.machineId, label: entry.label, added_by: actor.name, added_at: now }).execute();
          added += 1;
        } else {
          await trx.updateTable('device_allowlist').set({ label: entry.label }).where('machine_id', '=', entry.machineId).execute();
          updated += 1;
        }
        // A pending device takes IT's label, so the approval screens show the name IT knows it by.
        await trx
          .updateTable('devices')
          .set({ label: entry.label, updated_at: now })
          .where('machine_id', '=', entry.machineId)
          .where('status', '!=', 'active')
          .execute();
      }
      await appendAudit(
        trx,
        {
          event: 'device.allowlisted',
          outcome: 'ok',
          actor: actor.name,
          agentId: actor.agentId,
          sourceAddress: actor.sourceAddress,
          details: source === 'single' ? { machineId: entries[0]?.machineId ?? null, label: entries[0]?.label ?? null } : { source: 'csv', added, updated },
        },
        now,
      );
      return { added, updated };
    });
  }

  async list(): Promise<DeviceList> {
    const now = this.#deps.now();
    const [devices, allowlist, pairings] = await Promise.all([
      this.#deps.db.selectFrom('devices').selectAll().orderBy('id').execute(),
      this.#deps.db.selectFrom('device_allowlist').selectAll().orderBy('added_at').execute(),
      this.#deps.db.selectFrom('pairings').selectAll().where('status', '=', 'pending').where('expires_at', '>', now).orderBy('id', 'desc').execute(),
    ]);
    const allowed = new Set(allowlist.map((entry) => entry.machine_id));
    const pendingByDevice = new Map<number, PairingRow[]>();
    for (const pairing of pairings) {
      const waiting = pendingByDevice.get(pairing.device_id);
      if (waiting === undefined) pendingByDevice.set(pairing.device_id, [pairing]);
      else waiting.push(pairing);
    }
    return {
      devices: devices.map((device) => deviceView(device, allowed.has(device.machine_id), pendingByDevice.get(device.id) ?? [])),
      allowlist: allowlist.map((entry) => ({ machineId: entry.machine_id, label: entry.label, addedBy: entry.added_by, addedAt: entry.added_at })),
    };
  }

  async get(deviceId: number): Promise<DeviceView> {
    const { db } = this.#deps;
    const device = await db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
    if (device === undefined) throw new DeviceAdminError('device_not_found', `There is no device ${deviceId}.`);
    const [allowlisted, pending] = await Promise.all([
      db.selectFrom('device_allowlist').select('machine_id').where('machine_id', '=', device.machine_id).executeTakeFirst(),
      db
        .selectFrom('pairings')
        .selectAll()
        .where('device_id', '=', deviceId)
        .where('status', '=', 'pending')
        .where('expires_at', '>', this.#deps.now())
        .orderBy('id', 'desc')
        .execute(),
    ]);
    return deviceView(device, allowlisted !== undefined, pending);
  }

  async revoke(deviceId: number, reason: string, actor: Actor): Promise<DeviceView> {
    const now = this.#deps.now();
    const ended = await this.#deps.committer.submit(async (trx) => {
      const device = await trx.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
      if (device === undefined) throw new DeviceAdminError('device_not_found', `There is no device ${deviceId}.`);
      if (device.status === 'revoked') throw new DeviceAdminError('device_already_revoked', `Device ${deviceId} (${device.label}) is already revoked.`);
      await trx
        .updateTable('devices')
        .set({ status: 'revoked', revoked_by: actor.name, revoked_at: now, revoked_reason: reason, cache_share_sealed: null, updated_at: now })
        .where('id', '=', deviceId)
        .execute();
      // Told `revoked` until told once, even if the revocation is lifted before the install calls back.
      await retireDeviceKey(trx, device, 'revoked', reason, now);
      await trx
        .updateTable('pairings')
        .set({ status: 'rejected', decided_by: actor.name, decided_at: now })
        .where('device_id', '=', deviceId)
        .where('status', '=', 'pending')
        .execute();
      const sessions = await endSessions(trx, { deviceId }, 'device_revoked', now);
      await appendAudit(
        trx,
        {
          event: 'device.revoked',
          outcome: 'ok',
          actor: actor.name,
          agentId: actor.agentId,
          deviceId,
          sourceAddress: actor.sourceAddress,
          details: { reason, machineId: device.machine_id, sessionsEnded: sessions.length },
        },
        now,
      );
      return sessions;
    });
    this.#deps.security.devicesRevoked([deviceId], reason);
    if (ended.length > 0) this.#deps.security.sessionsEnded(ended, 'device_revoked');
    return this.get(deviceId);
  }

  /** Lifts a revocation: the machine may ask to pair again (with a new key), and an admin must approve it. */
  async unrevoke(deviceId: number, actor: Actor): Promise<DeviceView> {
    const now = this.#deps.now();
    await this.#deps.committer.submit(async (trx) => {
      const device = await trx.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
      if (device === undefined) throw new DeviceAdminError('device_not_found', `There is no device ${deviceId}.`);
      if (device.status !== 'revoked') throw new DeviceAdminError('device_not_revoked', `Device ${deviceId} (${device.label}) is not revoked.`);
      await trx
        .updateTable('devices')
        .set({ status: 'rejected', public_key: null, key_fingerprint: null, approved_by: null, approved_at: null, updated_at: now })
        .where('id', '=', deviceId)
        .execute();
      await appendAudit(
        trx,
        {
          event: 'device.unrevoked',
          outcome: 'ok',
          actor: actor.name,
          agentId: actor.agentId,
          deviceId,
          sourceAddress: actor.sourceAddress,
          details: { machineId: device.machine_id },
        },
        now,
      );
    });
    return this.get(deviceId);
  }
}

export function pendingPairingView(pairing: PairingRow): PendingPairing {
  return {
    id: pairing.id,
    keyFingerprint: pairing.key_fingerprint,
    hostname: pairing.hostname,
    os: pairing.os,
    appVersion: pairing.app_version,
    storageBackend: pairing.storage_backend,
    createdAt: pairing.created_at,
    expiresAt: pairing.expires_at,
  };
}

/** `pending`: the pairings waiting for the device, newest first. */
export function deviceView(device: DeviceRow, allowlisted: boolean, pending: readonly PairingRow[]): DeviceView {
  const newest = pending[0];
  return {
    id: device.id,
    machineId: device.machine_id,
    label: device.label,
    hostname: device.hostname,
    os: device.os,
    appVersion: device.app_version,
    storageBackend: device.storage_backend,
    status: device.status,
    allowlisted,
    keyFingerprint: device.key_fingerprint,
    approvedBy: device.approved_by,
    approvedAt: device.approved_at,
    revokedBy: device.revoked_by,
    revokedAt: device.revoked_at,
    revokedReason: device.revoked_reason,
    lastSeenAt: device.last_seen_at,
    pendingPairing: newest === undefined ? null : pendingPairingView(newest),
    pendingPairingCount: pending.length,
  };
}
