/** The analytics tables (migration 0035), kept by the fold (server/analytics/analytics-fold.ts) from what the writers' triggers append to `analytics_pending`. */
import type { Generated } from 'kysely';
import type { ConversationStateValue } from './schema.js';

/** A conversation's facts: what the figures of a period are read from, never its messages. */
export interface AnalyticsConversationsTable {
  conversation_id: number;
  phone_number_id: string;
  team_id: number | null;
  /** Who holds it now. */
  agent_id: number | null;
  state: ConversationStateValue;
  opened_at: number;
  /** The customer's first own message (Meta's time). */
  first_inbound_at: number | null;
  /** The business's first answer after it (an agent's, or the WhatsApp Business app's), and the agent who sent it. */
  first_response_at: number | null;
  first_response_agent_id: number | null;
  /** Set while it is resolved: when, and by whom. */
  resolved_at: number | null;
  resolved_by_agent_id: number | null;
  /** The customer's oldest message since the business's latest answer; null: nothing waits for an answer. */
  awaiting_since: number | null;
}

/** Messages per hour (its first instant, epoch ms), team, agent and number; 0 and '' stand for none. */
export interface AnalyticsHourlyTable {
  hour_start: number;
  team_key: number;
  agent_key: number;
  phone_number_id: string;
  messages_in: number;
  messages_out: number;
}

/** The hourly counts summed over agents. */
export interface AnalyticsTeamHourlyTable {
  hour_start: number;
  team_key: number;
  phone_number_id: string;
  messages_in: number;
  messages_out: number;
}

/** The hourly counts summed per UTC day (its first instant). */
export interface AnalyticsDailyTable {
  day_start: number;
  team_key: number;
  agent_key: number;
  phone_number_id: string;
  messages_in: number;
  messages_out: number;
}

export interface AnalyticsTemplateHourlyTable {
  hour_start: number;
  team_key: number;
  agent_key: number;
  phone_number_id: string;
  template_name: string;
  language_code: string;
  sends: number;
}

export interface AnalyticsTeamTargetsTable {
  team_id: number;
  first_response_target_seconds: number;
  updated_at: number;
}

/** What a writer's trigger appended for the fold: a counted message (with its conversation's team, holder and number when it came), or a changed conversation. */
export interface AnalyticsPendingTable {
  id: Generated<number>;
  conversation_id: number;
  /** Null: the conversation changed (opened, moved, resolved). */
  message_id: number | null;
  hour_start: number | null;
  team_key: Generated<number>;
  agent_key: Generated<number>;
  phone_number_id: Generated<string>;
  messages_in: Generated<number>;
  messages_out: Generated<number>;
  /** A template's name and language; null: not a template. */
  template_name: string | null;
  language_code: string | null;
  /** 1 in the transaction of the fold that takes it. */
  taken: Generated<number>;
}

/** One row (id 1): the fold's lock, and how much it folded. */
export interface AnalyticsFoldTable {
  id: number;
  folded_rows: number;
  folded_at: number;
}

export interface AnalyticsTables {
  analytics_pending: AnalyticsPendingTable;
  analytics_fold: AnalyticsFoldTable;
  analytics_conversations: AnalyticsConversationsTable;
  analytics_hourly: AnalyticsHourlyTable;
  analytics_team_hourly: AnalyticsTeamHourlyTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_template_hourly: AnalyticsTemplateHourlyTable;
  analytics_team_targets: AnalyticsTeamTargetsTable;
}
