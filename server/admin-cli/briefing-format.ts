/** The briefing commands' text for people: the version and its rules, and who acknowledged which version. */
import type { BriefingAcknowledgementsView, BriefingVersionView } from '../../common/briefing/briefing.js';
import { formatTable, formatTime, printable } from './text-format.js';

export function formatBriefing(heading: string) {
  return (view: BriefingVersionView): string => {
    const published = view.publishedBy === null ? 'built in' : `published ${formatTime(view.publishedAt)} by ${printable(view.publishedBy)}`;
    const rules = view.rules.map(
      (rule, index) =>
        `${index + 1}. ${rule.id}\n   en: ${printable(rule.title.en)} — ${printable(rule.text.en)}\n   it: ${printable(rule.title.it)} — ${printable(rule.text.it)}`,
    );
    return `${heading}: version ${view.version}, ${published}, ${view.rules.length} rules\n\n${rules.join('\n')}`;
  };
}

export function formatBriefingAcknowledgements(view: BriefingAcknowledgementsView): string {
  const rows = view.agents.map((agent) => [
    printable(agent.username),
    printable(agent.displayName),
    agent.acknowledgedVersion === null ? 'never' : `version ${agent.acknowledgedVersion}`,
    formatTime(agent.acknowledgedAt),
    agent.current ? 'yes' : 'no, must acknowledge',
  ]);
  return `Security briefing: version ${view.version} in force, acknowledged again every ${view.renewAfterDays} days\n\n${formatTable(['USERNAME', 'NAME', 'ACKNOWLEDGED', 'AT', 'HOLDS NOW'], rows)}`;
}
