/**
 * The agents commands' text for people. Enrollment and recovery codes appear only here, in the
 * output of the commands whose purpose is to show them once.
 */
import type { AgentView, EnrollmentIssued } from '../../common/api/admin.js';
import { count, formatTable, formatTime, printable } from './text-format.js';

function agentName(agent: AgentView): string {
  return printable(`${agent.username} (#${agent.id}, "${agent.displayName}")`);
}

export function formatAgentList(agents: readonly AgentView[]): string {
  if (agents.length === 0) return 'No agents yet: create one with `agents add <username> --name <display name>`.';
  const table = formatTable(
    ['ID', 'USERNAME', 'NAME', 'ROLES', 'STATUS', 'LOCKED', 'ENROLL BY', 'CREATED'],
    agents.map((agent) => [
      String(agent.id),
      agent.username,
      agent.displayName,
      agent.roles.join(','),
      agent.status,
      agent.locked ? 'locked' : '-',
      formatTime(agent.enrollmentExpiresAt),
      formatTime(agent.createdAt),
    ]),
  );
  return `Agents (${count(agents.length, 'agent')}):\n${table}`;
}

function enrollmentCodeLines(issued: EnrollmentIssued): string[] {
  return [
    `Enrollment code (shown once, valid until ${formatTime(issued.enrollmentExpiresAt)}): ${issued.enrollmentCode}`,
    `Give it to ${printable(issued.agent.displayName)} in person or by a channel you trust: with it and the username they set a password and an authenticator on a paired workstation.`,
  ];
}

export function formatAgentCreated(issued: EnrollmentIssued): string {
  return [`Created agent ${agentName(issued.agent)}, roles ${issued.agent.roles.join(', ')}.`, ...enrollmentCodeLines(issued)].join('\n');
}

export function formatTotpReset(issued: EnrollmentIssued): string {
  return [
    `Reset the authenticator of ${agentName(issued.agent)}: their sessions have ended; they enroll again with a new code.`,
    ...enrollmentCodeLines(issued),
  ].join('\n');
}

export function formatRolesSet(agent: AgentView): string {
  return `${agentName(agent)} now holds ${agent.roles.join(', ')}; the running server applies it to their connections within a second.`;
}

export function formatDisabled(agent: AgentView): string {
  return `Disabled ${agentName(agent)}: every session has ended; the running server closes their connections within a second.`;
}

export function formatUnlocked(agent: AgentView): string {
  return `Unlocked ${agentName(agent)}: the failed-login count is cleared and they may log in again.`;
}

export function formatRecoveryCodes(issued: { agent: AgentView; recoveryCodes: readonly string[] }): string {
  return [
    `New recovery codes for ${agentName(issued.agent)} (shown once; the old ones no longer work; each works once):`,
    ...issued.recoveryCodes.map((code) => `  ${code}`),
  ].join('\n');
}
