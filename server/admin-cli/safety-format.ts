/** The safety commands' text for people: every setting of the policy, one line each, and who changed it last. */
import type { AdminSafetyPolicyView } from '../../common/safety/safety-policy.js';
import { SAFETY_POLICY_SECTIONS } from '../../common/safety/safety-policy.js';
import { formatTable, formatTime } from './text-format.js';

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (value === null) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function formatSafetyPolicy(heading: string) {
  return (view: AdminSafetyPolicyView): string => {
    const rows = SAFETY_POLICY_SECTIONS.flatMap((section) =>
      Object.entries(view.policy[section]).map(([field, value]) => [`${section}.${field}`, shown(value)]),
    );
    const changed = view.changedBy === null ? 'never changed: every setting at its default' : `changed ${formatTime(view.changedAt)} by ${view.changedBy}`;
    return `${heading}: version ${view.version}, ${changed}\n\n${formatTable(['SETTING', 'VALUE'], rows)}`;
  };
}
