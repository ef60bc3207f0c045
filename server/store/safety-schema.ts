/** The safety policy's table (migration 0024), as Kysely sees it. */

/** The one row (`id` 1) of the safety policy an admin set; no row: the defaults, version 0. */
export interface SafetyPolicyTable {
  id: number;
  /** 1 after the first change; each change adds 1. */
  version: number;
  /** `SafetyPolicy` of common/safety/safety-policy.ts, as JSON; read leniently. */
  policy_json: string;
  /** The audit log's actor name of who changed it last (`agent:7:alice`, `cli:root`). */
  changed_by: string;
  changed_at: number;
}

export interface SafetyTables {
  safety_policy: SafetyPolicyTable;
}
