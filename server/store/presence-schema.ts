/** The tables of the job runner and of each agent's presence settings (migration 0014), as Kysely sees them. */
import type { ColumnType, Generated, Selectable } from 'kysely';

export const JOB_STATES = ['waiting', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobsTable {
  id: Generated<number>;
  /** Which registered handler runs it (server/jobs/job-kind.ts). */
  kind: string;
  /** The same timed thing waits once: unique per kind among waiting jobs; null: no dedupe. */
  dedupe_key: string | null;
  /** The conversation it concerns, if any: the supervisors' view shows it only to who may see that conversation. */
  conversation_id: number | null;
  /** The kind's payload, as JSON; never shown in the supervisors' view. */
  payload_json: string;
  state: JobState;
  due_at: number;
  /** Attempts started (a claim counts one, so a job that kills its runner still runs out of attempts). */
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  /** The runner holding it while `running`. */
  claimed_by: string | null;
  /** A `running` job whose lease passed was left by a runner that stopped: another may claim it. */
  lease_until: number | null;
  last_error_code: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface AgentSettingsTable {
  agent_id: number;
  /** 1 available, 0 away: away takes no new conversations. */
  available: ColumnType<number, number | undefined, number>;
  /** IANA time zone (Europe/Rome); null until the workstation or the agent gives one. */
  time_zone: string | null;
  /** 1: the agent picked the zone; a workstation's zone at sign-in no longer replaces it. */
  time_zone_chosen: ColumnType<number, number | undefined, number>;
  updated_at: number;
}

export interface PresenceTables {
  jobs: JobsTable;
  agent_settings: AgentSettingsTable;
}

export type JobRow = Selectable<JobsTable>;
