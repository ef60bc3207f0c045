/** The teams commands' text for people: names, members with capacities, supervisors, counts of conversations (never which). */
import type { TeamList, TeamRemoved, TeamView } from '../../common/api/teams.js';
import { count, formatTable, printable } from './text-format.js';

function teamName(team: TeamView): string {
  return printable(`${team.name} (#${team.id})`);
}

export function formatTeamList(list: TeamList): string {
  if (list.teams.length === 0) return 'No teams: create one with `teams create <name>`. New conversations wait in no queue until one exists.';
  const table = formatTable(
    ['ID', 'NAME', 'DEFAULT', 'MEMBERS (CAPACITY)', 'SUPERVISORS', 'NUMBERS', 'CONVERSATIONS', 'OFFLINE REQUEUE'],
    list.teams.map((team) => [
      String(team.id),
      team.name,
      team.isDefault ? 'default' : '-',
      team.members.map((member) => `${member.username} (${member.capacity})`).join(', ') || '-',
      team.supervisors.map((supervisor) => supervisor.username).join(', ') || '-',
      team.numbers.join(', ') || '-',
      String(team.conversationCount),
      team.offlineRequeueAfterSeconds === null ? 'never' : `${team.offlineRequeueAfterSeconds} s`,
    ]),
  );
  return `Teams (${count(list.teams.length, 'team')}):\n${table}`;
}

export function formatTeam(verb: string) {
  return (team: TeamView): string =>
    `${verb} ${teamName(team)}: ${count(team.members.length, 'member')}, ${count(team.supervisors.length, 'supervisor')}, ${count(team.conversationCount, 'conversation')}. The running server applies it to the agents’ connections within a second.`;
}

export function formatTeamRemoved(removed: TeamRemoved): string {
  return removed.movedConversations === 0
    ? `Removed team #${removed.removed}; it held no conversation.`
    : `Removed team #${removed.removed}; ${count(removed.movedConversations, 'conversation')} moved to team #${removed.movedTo ?? '-'}.`;
}
