/** The message templates' tables (migration 0032), as Kysely sees them. */

/** A template of a business account, as Meta last described it. */
export interface MessageTemplatesTable {
  /** Meta's template id. */
  id: string;
  waba_id: string;
  name: string;
  language: string;
  category: string;
  /** Meta's status as it came (APPROVED, PENDING, REJECTED, PAUSED, DISABLED, or another). */
  status: string;
  status_reason: string | null;
  quality: string;
  parameter_format: string;
  /** `TemplateComponents` of common/templates/template.ts, as JSON. */
  components_json: string;
  /** Meta no longer listed it at this sync. */
  removed_at: number | null;
  synced_at: number;
  updated_at: number;
}

export interface TemplateSyncsTable {
  waba_id: string;
  /** The last sync that succeeded. */
  synced_at: number | null;
  listed: number;
  removed: number;
  /** Why the last attempt failed; null when it succeeded. */
  error: string | null;
  attempted_at: number;
}

export interface TemplateTables {
  message_templates: MessageTemplatesTable;
  template_syncs: TemplateSyncsTable;
}
