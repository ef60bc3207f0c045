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

const plural = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;

export function formatVerification(result: AuditVerification): string {
  if (!result.ok) {
    const where = result.firstBrokenId === null ? '' : ` at row ${result.firstBrokenId}`;
    const keep = `keep a copy of the database${result.checkpoint === null ? '' : ' and of the checkpoint'} for investigation`;
    const advice = result.firstBrokenId === null ? `K${keep.slice(1)}` : `Rows before it are intact; ${keep}`;
    return `The audit chain is BROKEN${where}: ${result.problem ?? 'unknown problem'}. ${advice}.`;
  }
  const unkeyed = result.unkeyedRows === 0 ? '' : ` (the first ${result.unkeyedRows} written before the chain was keyed)`;
  const holds = `The audit chain holds: ${plural(result.rows, 'row')}${unkeyed}, head hash ${result.headHash ?? '-'}`;
  const { checkpoint } = result;
  if (checkpoint === null) return `${holds}. Without --checkpoint this cannot tell whether the newest rows were removed.`;
  const seen = checkpoint.headId === null ? 'no rows' : `${plural(checkpoint.rows, 'row')}, up to row ${checkpoint.headId}`;
  return `${holds}; it contains the checkpoint written ${formatTime(checkpoint.at)} (${seen}).`;
}
