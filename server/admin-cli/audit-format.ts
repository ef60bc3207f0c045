/** The audit commands' text for people. */
import type { AuditEntryView, AuditVerification } from '../../common/api/admin.js';
import { formatTable, formatTime } from './text-format.js';

export function formatAuditList(entries: readonly AuditEntryView[]): string {
  if (entries.length === 0) return 'No audit entries match.';
  return formatTable(
    ['ID', 'AT', 'EVENT', 'OUTCOME', 'ACTOR', 'AGENT', 'DEVICE', 'DETAILS'],
    entries.map((entry) => [
      String(entry.id),
      formatTime(entry.at),
      entry.event,
      entry.outcome,
      entry.actor,
      entry.agentId === null ? '-' : String(entry.agentId),
      entry.deviceId === null ? '-' : String(entry.deviceId),
      JSON.stringify(entry.details),
    ]),
  );
}

export function formatVerification(result: AuditVerification): string {
  if (result.ok) return `The audit chain holds: ${result.rows} rows, head hash ${result.headHash ?? '-'}.`;
  return `The audit chain is BROKEN at row ${result.firstBrokenId ?? '?'}: ${result.problem ?? 'unknown problem'}. Rows before it are intact; keep a copy of the database for investigation.`;
}
