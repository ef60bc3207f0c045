/** How `backup …` results read at a terminal. */
import type { ArchiveEntry } from '../backup/backup-archives.js';
import type { BackupSummary } from '../backup/create-backup.js';
import type { Restored } from '../backup/restore-backup.js';

const when = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '(header unreadable)');
const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

interface Counts {
  readonly messages: number;
  readonly agents: number;
  readonly devices: number;
  readonly auditEntries: number;
}
const counted = (counts: Counts) => `${counts.messages} messages, ${counts.agents} agents, ${counts.devices} devices, ${counts.auditEntries} audit entries`;

export function formatCreated(summary: BackupSummary): string {
  return [
    `Backup ${summary.name} written to ${summary.path} (${mib(summary.bytes)}, ${summary.parts} parts).`,
    `Snapshot of the ${summary.store} store at ${when(summary.createdAt)}: ${counted(summary.counts)}, ${summary.mediaFiles} media files.`,
  ].join('\n');
}

export function formatArchiveList(entries: readonly ArchiveEntry[]): string {
  if (entries.length === 0) return 'No backups yet.';
  return entries.map((entry) => `${entry.name}  ${when(entry.createdAt)}  ${mib(entry.bytes)}`).join('\n');
}

export function formatVerified(verified: { name: string; createdAt: number; store: string; parts: number; counts: Counts }): string {
  return `Backup ${verified.name} verifies: all ${verified.parts} parts decrypt and match the manifest. Snapshot of the ${verified.store} store at ${when(verified.createdAt)}: ${counted(verified.counts)}.`;
}

export function formatRestored(restored: Restored & { audited: boolean }): string {
  const lines = [
    `Restored ${restored.name} (snapshot of ${when(restored.createdAt)}): ${counted(restored.counts)}, ${restored.mediaFiles} media files.`,
    restored.audited
      ? 'The restore is recorded in the restored audit log (backup.restored).'
      : 'No server key at hand: the restore is not recorded in the audit log yet.',
  ];
  const pairAgain = restored.pairAgain;
  if (pairAgain === undefined || !pairAgain.compared) {
    lines.push(
      `Every workstation paired after ${when(restored.createdAt)} is unknown to the restored server: it wipes itself at its next contact and must pair again.` +
        (pairAgain?.problem === undefined ? ' (Give --previous-data-dir to name them.)' : ` (The replaced store could not be read: ${pairAgain.problem}.)`),
    );
  } else if (pairAgain.devices.length === 0) {
    lines.push('Every workstation active in the replaced store is known to the snapshot: none has to pair again.');
  } else {
    lines.push(`These ${pairAgain.devices.length} workstations are unknown to the snapshot and must pair again:`);
    for (const device of pairAgain.devices)
      lines.push(`  ${device.machineId}  ${device.hostname}  ${device.label}  paired ${device.approvedAt === null ? '?' : when(device.approvedAt)}`);
  }
  return lines.join('\n');
}
