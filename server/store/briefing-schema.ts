/** The security briefing's tables (migration 0031), as Kysely sees them. */
import type { Generated } from 'kysely';

/** A version an admin published; no row: the built-in version 1. */
export interface BriefingVersionsTable {
  version: number;
  /** `BriefingRule[]` of common/briefing/briefing.ts, as JSON. */
  rules_json: string;
  /** The audit log's actor name of who published it (`agent:7:alice`, `cli:root`). */
  published_by: string;
  published_at: number;
}

/** One rule of one version one agent acknowledged (a version's rules are written together). */
export interface BriefingAcknowledgementsTable {
  id: Generated<number>;
  agent_id: number;
  version: number;
  rule_id: string;
  acknowledged_at: number;
}

export interface BriefingTables {
  briefing_versions: BriefingVersionsTable;
  briefing_acknowledgements: BriefingAcknowledgementsTable;
}
