/** The routing commands' text for people: the rules in the order they are tried, each condition in words. */
import type { RoutingCondition, RoutingRuleList, RoutingRuleRemoved, RoutingRuleView } from '../../common/api/routing.js';
import { count, formatTable, printable } from './text-format.js';

export function describeCondition(condition: RoutingCondition): string {
  switch (condition.kind) {
    case 'number':
      return `written to number ${condition.phoneNumberId}`;
    case 'keyword':
      return `first message has ${condition.keywords.map((keyword) => `"${keyword}"`).join(' or ')}`;
    case 'language':
      return `first message in ${condition.languages.join(' or ')}`;
    case 'referral': {
      const fields = [
        condition.sourceId === undefined ? null : `ad id ${condition.sourceId}`,
        condition.sourceUrl === undefined ? null : `link ${condition.sourceUrl}`,
        condition.headline === undefined ? null : `headline "${condition.headline}"`,
      ].filter((field) => field !== null);
      return fields.length === 0 ? 'came from any ad' : `came from an ad with ${fields.join(', ')}`;
    }
  }
}

const teamOf = (rule: RoutingRuleView) => (rule.teamName === null ? `#${rule.teamId} (deleted: skipped)` : `${rule.teamName} (#${rule.teamId})`);

export function formatRuleList(list: RoutingRuleList): string {
  if (list.rules.length === 0) return 'No routing rules: each new conversation goes to its number’s team, else the default team. Add one with `routing add`.';
  const table = formatTable(
    ['POS', 'ID', 'ENABLED', 'WHEN', 'TEAM'],
    list.rules.map((rule) => [String(rule.position), String(rule.id), rule.enabled ? 'yes' : 'no', describeCondition(rule.condition), teamOf(rule)]),
  );
  return `Routing rules (${count(list.rules.length, 'rule')}, tried in order; the first that matches wins, else the number’s team, else the default team):\n${table}`;
}

export function formatRule(verb: string) {
  return (rule: RoutingRuleView): string =>
    printable(
      `${verb} rule #${rule.id} at position ${rule.position}${rule.enabled ? '' : ' (disabled)'}: ${describeCondition(rule.condition)} → ${teamOf(rule)}.`,
    );
}

export function formatRuleRemoved(removed: RoutingRuleRemoved): string {
  return `Removed routing rule #${removed.removed}; the rules after it moved up.`;
}
