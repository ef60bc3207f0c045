/**
 * The dashboard's scope as one picker value: everything the viewer may see, one team, one agent or
 * one business number ("all", "team:3", "agent:7", "number:1055…"), and the query parts it means.
 */
import type { AnalyticsScopeKind } from '../../common/analytics/analytics-query.js';

export type ScopeValue = 'all' | `${AnalyticsScopeKind}:${string}`;

export function scopeQuery(value: ScopeValue): { scope: AnalyticsScopeKind; id?: string } {
  if (value === 'all') return { scope: 'team' };
  const [kind, id] = value.split(/:(.*)/s) as [AnalyticsScopeKind, string];
  return { scope: kind, id };
}

export function scopeValue(kind: AnalyticsScopeKind, id: string | number): ScopeValue {
  return `${kind}:${String(id)}`;
}
