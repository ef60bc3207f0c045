/**
 * Meta's template webhooks (cloud-api.md §11) applied to the stored template at once, in the
 * webhook's own transaction: `message_template_status_update` (its status, and Meta's reason for a
 * rejection or a pause), `template_category_update` (the new category), and
 * `message_template_quality_update` (the new quality score). A webhook of a template not synced yet
 * changes nothing here (the business event is kept; the next sync brings the template whole).
 */
import { z } from 'zod';
import { TemplateCategory } from '../../common/templates/template.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { qualityOf } from './meta-templates.js';
import { changeTemplate } from './template-store.js';
import type { TemplateChange } from './template-store.js';

const TemplateId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,30}$/)]).transform(String);

const StatusValue = z.looseObject({
  event: z.string().regex(/^[A-Z_]{1,40}$/),
  message_template_id: TemplateId,
  reason: z.string().nullish(),
  rejection_info: z.looseObject({ reason: z.string().optional() }).optional(),
  other_info: z.looseObject({ title: z.string().optional(), description: z.string().optional() }).optional(),
});
const CategoryValue = z.looseObject({ message_template_id: TemplateId, new_category: TemplateCategory });
const QualityValue = z.looseObject({ message_template_id: TemplateId, new_quality_score: z.string() });

/** The business event kinds (server/webhooks/normalize-webhook.ts) that change a template. */
/** What of a webhook's business event record (server/webhooks/ingest-records.ts) is read here. */
export interface TemplateEventRecord {
  readonly eventKind: string;
  readonly payload: unknown;
}

export const TEMPLATE_EVENT_KINDS: ReadonlySet<string> = new Set(['template_status', 'template_category', 'template_quality']);

function changeOf(record: TemplateEventRecord): { id: string; change: TemplateChange } | undefined {
  switch (record.eventKind) {
    case 'template_status': {
      const value = StatusValue.safeParse(record.payload);
      if (!value.success) return undefined;
      const v = value.data;
      const given = v.rejection_info?.reason ?? v.other_info?.description ?? v.reason ?? null;
      const statusReason = v.event === 'APPROVED' || given === null || given === 'NONE' ? null : given.slice(0, 1000);
      return { id: v.message_template_id, change: { status: v.event, statusReason } };
    }
    case 'template_category': {
      const value = CategoryValue.safeParse(record.payload);
      return value.success ? { id: value.data.message_template_id, change: { category: value.data.new_category } } : undefined;
    }
    case 'template_quality': {
      const value = QualityValue.safeParse(record.payload);
      return value.success ? { id: value.data.message_template_id, change: { quality: qualityOf(value.data.new_quality_score) } } : undefined;
    }
    default:
      return undefined;
  }
}

/** The template the webhook changed, when it changed one. */
export async function applyTemplateWebhook(trx: StoreTransaction, record: TemplateEventRecord, now: number): Promise<string | undefined> {
  if (!TEMPLATE_EVENT_KINDS.has(record.eventKind)) return undefined;
  const found = changeOf(record);
  if (found === undefined) return undefined;
  return (await changeTemplate(trx, found.id, found.change, now)) ? found.id : undefined;
}
