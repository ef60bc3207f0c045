/** The tables of quick replies and labels (migration 0020), as Kysely sees them. */
import type { Generated } from 'kysely';

export interface QuickRepliesTable {
  id: Generated<number>;
  /** Null: global (managed by administrators); else the team's (managed by its supervisors). */
  team_id: number | null;
  /** `team_id`, or 0 for global: a shortcut is unique within its scope. */
  scope_key: number;
  shortcut: string;
  text_en: string | null;
  text_it: string | null;
  created_at: number;
  updated_at: number;
}

export interface LabelsTable {
  id: Generated<number>;
  team_id: number | null;
  scope_key: number;
  name: string;
  /** The name in lower case: a name is unique within its scope without regard to case. */
  name_key: string;
  /** One of LABEL_COLORS (common/api/replies.ts). */
  color: string;
  created_at: number;
  updated_at: number;
}

export interface ConversationLabelsTable {
  conversation_id: number;
  label_id: number;
  added_by_agent_id: number | null;
  added_at: number;
}

export interface ReplyTables {
  quick_replies: QuickRepliesTable;
  labels: LabelsTable;
  conversation_labels: ConversationLabelsTable;
}
