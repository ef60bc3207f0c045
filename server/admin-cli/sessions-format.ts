/** The sessions commands' text for people. */
import type { SessionView } from '../../common/api/admin.js';
import { count, formatTable, formatTime, printable } from './text-format.js';

function where(session: SessionView): string {
  return session.device === null ? 'approval page (phone)' : `"${session.device.label}" (${session.device.hostname})`;
}

export function formatSessionList(sessions: readonly SessionView[]): string {
  if (sessions.length === 0) return 'Nobody is signed in.';
  const table = formatTable(
    ['ID', 'AGENT', 'ROLES', 'WHERE', 'ADDRESS', 'SIGNED IN', 'LAST SEEN', 'ENDS'],
    sessions.map((session) => [
      String(session.id),
      `${session.agent.username} (#${session.agent.id})`,
      session.agent.roles.join(','),
      where(session),
      session.sourceAddress,
      formatTime(session.signedInAt),
      formatTime(session.lastSeenAt),
      formatTime(session.expiresAt),
    ]),
  );
  return `Live sessions (${count(sessions.length, 'session')}):\n${table}`;
}

export function formatSessionEnded(session: SessionView): string {
  return printable(
    `Ended session #${session.id} of ${session.agent.username} on ${where(session)}: its tokens no longer work; the running server closes its connection within a second and the workstation shows the sign-in screen.`,
  );
}
