/** The devices commands' text for people. */
import type { DeviceList, DeviceView, PairingForApproval } from '../../common/api/admin.js';
import { replacesActiveKey } from '../../common/devices/key-replacement.js';
import { count, formatTable, formatTime, printable } from './text-format.js';

export function deviceName(device: DeviceView): string {
  return printable(`#${device.id} "${device.label}" (${device.hostname})`);
}

function pendingCell(device: DeviceView): string {
  const pending = device.pendingPairing;
  if (pending === null) return '-';
  const more = device.pendingPairingCount > 1 ? ` (${device.pendingPairingCount} waiting for this machine ID)` : '';
  return `key ${pending.keyFingerprint}, until ${formatTime(pending.expiresAt)}${more}`;
}

export function formatDeviceList(list: DeviceList): string {
  const devices = formatTable(
    ['ID', 'STATUS', 'LABEL', 'HOSTNAME', 'FINGERPRINT', 'LAST SEEN', 'PENDING PAIRING'],
    list.devices.map((device) => [
      String(device.id),
      device.status,
      device.label,
      device.hostname,
      device.keyFingerprint ?? '-',
      formatTime(device.lastSeenAt),
      pendingCell(device),
    ]),
  );
  const allowlist = formatTable(
    ['MACHINE ID', 'LABEL', 'ADDED BY', 'ADDED'],
    list.allowlist.map((entry) => [entry.machineId, entry.label, entry.addedBy, formatTime(entry.addedAt)]),
  );
  const revoked = list.devices
    .filter((device) => device.status === 'revoked')
    .map((device) => `  #${device.id} by ${device.revokedBy ?? '-'} at ${formatTime(device.revokedAt)}: ${device.revokedReason ?? '-'}`);
  return [
    `Devices (${count(list.devices.length, 'device')}):`,
    list.devices.length === 0 ? '  none yet' : devices,
    ...(revoked.length === 0 ? [] : ['', 'Revoked:', ...revoked.map(printable)]),
    '',
    `Allowlist (${count(list.allowlist.length, 'machine ID')}):`,
    list.allowlist.length === 0 ? '  empty' : allowlist,
  ].join('\n');
}

/** What the person approving compares with the workstation's screen. */
export function formatPairingForApproval({ device, pairing }: PairingForApproval): string {
  const replacesKey = replacesActiveKey(device, pairing);
  const lines = [
    `Pairing request #${pairing.id} from device #${device.id} "${device.label}":`,
    `  hostname     ${pairing.hostname}`,
    `  OS           ${pairing.os}`,
    `  app          ${pairing.appVersion}, secret storage ${pairing.storageBackend}`,
    `  machine ID   ${device.machineId} (claimed by the workstation; ${device.allowlisted ? 'allowlisted' : 'not on the allowlist'})`,
    `  fingerprint  ${pairing.keyFingerprint}   <- must match the workstation's screen`,
    `  requested    ${formatTime(pairing.createdAt)}, expires ${formatTime(pairing.expiresAt)}`,
  ];
  if (device.pendingPairingCount > 1)
    lines.push(`  ${device.pendingPairingCount} pairing requests wait for this machine ID, each with its own key: approve only the one the workstation shows.`);
  if (replacesKey) {
    lines.push(`  This workstation is already paired: approving replaces its key and ends its open sessions.`);
    lines.push(`  current key  ${device.keyFingerprint ?? '-'}`, `  new key      ${pairing.keyFingerprint}`);
  }
  return lines.map(printable).join('\n');
}

export function formatApproved(device: DeviceView): string {
  return `Approved: device ${deviceName(device)} is active with key ${device.keyFingerprint ?? '-'}.`;
}

export function formatRejected(device: DeviceView): string {
  return `Rejected: device ${deviceName(device)} was not paired (status ${device.status}).`;
}

export function formatRevoked(device: DeviceView): string {
  return [
    `Revoked device ${deviceName(device)}: ${printable(device.revokedReason ?? '')}`,
    'Its sessions have ended and its cache-key share is forgotten; the running server closes its connection within a second,',
    'and the workstation wipes its cache at its next contact.',
  ].join('\n');
}

export function formatUnrevoked(device: DeviceView): string {
  return `Lifted the revocation of device ${deviceName(device)}: it may ask to pair again with a new key, which needs an approval.`;
}

export function formatAllowed(result: { machineId: string; label: string; added: number }): string {
  return printable(`${result.added === 1 ? 'Allowlisted' : 'Relabelled'} ${result.machineId} as "${result.label}".`);
}

export function formatImported(result: { file: string; added: number; updated: number }): string {
  return printable(`Imported ${count(result.added + result.updated, 'machine ID')} from ${result.file}: ${result.added} added, ${result.updated} relabelled.`);
}
