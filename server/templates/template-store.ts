/**
 * The stored templates (migration 0032): what a sync from Meta writes, what the template webhooks
 * change, and the rows read back into common/templates/template.ts's model. Every write touches
 * the store only, inside the caller's transaction (a webhook's may run twice: the same result).
 */
import type { Kysely, Selectable } from 'kysely';
import type { StoredTemplate, TemplateComponents } from '../../common/templates/template.js';
import { TemplateCategory, TemplateComponents as ComponentsSchema, TemplateQuality } from '../../common/templates/template.js';
import type { TemplateSync } from '../../common/api/template-endpoints.js';
import type { InboxDatabase } from '../store/schema.js';
import type { MessageTemplatesTable } from '../store/templates-schema.js';
import type { ReadTemplate } from './meta-templates.js';

type Db = Kysely<InboxDatabase>;
type TemplateRow = Selectable<MessageTemplatesTable>;

export function templateOfRow(row: TemplateRow): StoredTemplate {
  const components = ComponentsSchema.safeParse(JSON.parse(row.components_json));
  const empty: TemplateComponents = { header: null, body: { text: '', examples: [] }, footer: null, buttons: [] };
  const category = TemplateCategory.safeParse(row.category);
  const quality = TemplateQuality.safeParse(row.quality);
  return {
    id: row.id,
    wabaId: row.waba_id,
    name: row.name,
    language: row.language,
    category: category.success ? category.data : 'MARKETING',
    status: row.status,
    statusReason: row.status_reason,
    quality: quality.success ? quality.data : 'UNKNOWN',
    parameterFormat: row.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: components.success ? components.data : empty,
    removed: row.removed_at !== null,
    updatedAt: Number(row.updated_at),
  };
}

/**
 * One account's full list from Meta: each template inserted or brought up to date (changed ones
 * named in `changed`), and those Meta no longer lists marked removed.
 */
export async function storeSyncedTemplates(
  trx: Db,
  wabaId: string,
  templates: readonly ReadTemplate[],
  now: number,
): Promise<{ listed: number; removed: number; changed: string[] }> {
  const existing = new Map((await trx.selectFrom('message_templates').selectAll().where('waba_id', '=', wabaId).execute()).map((row) => [row.id, row]));
  const changed: string[] = [];
  const listed = new Set<string>();
  for (const template of templates) {
    listed.add(template.id);
    const values = {
      waba_id: wabaId,
      name: template.name,
      language: template.language,
      category: template.category,
      status: template.status,
      status_reason: template.statusReason,
      quality: template.quality,
      parameter_format: template.parameterFormat,
      components_json: JSON.stringify(template.components),
      removed_at: null,
      synced_at: now,
    };
    const row = existing.get(template.id);
    if (row === undefined) {
      await trx
        .insertInto('message_templates')
        .values({ id: template.id, ...values, updated_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: now }))
        .execute();
      changed.push(template.id);
      continue;
    }
    const same = (Object.keys(values) as Array<keyof typeof values>).every((key) => key === 'synced_at' || row[key] === values[key]);
    await trx
      .updateTable('message_templates')
      .set(same ? { synced_at: now } : { ...values, updated_at: now })
      .where('id', '=', template.id)
      .execute();
    if (!same) changed.push(template.id);
  }
  const gone = [...existing.values()].filter((row) => !listed.has(row.id) && row.removed_at === null).map((row) => row.id);
  if (gone.length > 0) {
    await trx.updateTable('message_templates').set({ removed_at: now, updated_at: now }).where('id', 'in', gone).execute();
    changed.push(...gone);
  }
  const sync = { synced_at: now, listed: listed.size, removed: gone.length, error: null, attempted_at: now };
  await trx
    .insertInto('template_syncs')
    .values({ waba_id: wabaId, ...sync })
    .onConflict((oc) => oc.column('waba_id').doUpdateSet(sync))
    .execute();
  return { listed: listed.size, removed: gone.length, changed };
}

/** A sync of the account failed: its templates stay as they were, the failure is shown to admins. */
export async function storeSyncFailure(trx: Db, wabaId: string, error: string, now: number): Promise<void> {
  await trx
    .insertInto('template_syncs')
    .values({ waba_id: wabaId, synced_at: null, listed: 0, removed: 0, error, attempted_at: now })
    .onConflict((oc) => oc.column('waba_id').doUpdateSet({ error, attempted_at: now }))
    .execute();
}

/** What a template webhook changes of the row (undefined fields are left as they are). */
export interface TemplateChange {
  readonly status?: string;
  readonly statusReason?: string | null;
  readonly category?: string;
  readonly quality?: string;
}

/** Applies a webhook's change to the template it names; false when the row holds it already or is unknown (the next sync brings it). */
export async function changeTemplate(trx: Db, id: string, change: TemplateChange, now: number): Promise<boolean> {
  const row = await trx.selectFrom('message_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return false;
  const set: { status?: string; status_reason?: string | null; category?: string; quality?: string } = {};
  if (change.status !== undefined && change.status !== row.status) set.status = change.status;
  if (change.statusReason !== undefined && change.statusReason !== row.status_reason) set.status_reason = change.statusReason;
  if (change.category !== undefined && change.category !== row.category) set.category = change.category;
  if (change.quality !== undefined && change.quality !== row.quality) set.quality = change.quality;
  if (Object.keys(set).length === 0) return false;
  await trx
    .updateTable('message_templates')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
  return true;
}

export async function templatesById(db: Db, ids: readonly string[]): Promise<StoredTemplate[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('message_templates')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(templateOfRow);
}

export async function templatesOfAccount(db: Db, wabaId: string | undefined): Promise<StoredTemplate[]> {
  let query = db.selectFrom('message_templates').selectAll().orderBy('name').orderBy('language');
  if (wabaId !== undefined) query = query.where('waba_id', '=', wabaId);
  return (await query.execute()).map(templateOfRow);
}

/** The template a send names, of the account of the number it leaves from. */
export async function templateByName(db: Db, wabaId: string, name: string, language: string): Promise<StoredTemplate | undefined> {
  const row = await db
    .selectFrom('message_templates')
    .selectAll()
    .where('waba_id', '=', wabaId)
    .where('name', '=', name)
    .where('language', '=', language)
    .orderBy('removed_at')
    .executeTakeFirst();
  return row === undefined ? undefined : templateOfRow(row);
}

export async function templateSyncs(db: Db): Promise<TemplateSync[]> {
  const rows = await db.selectFrom('template_syncs').selectAll().orderBy('waba_id').execute();
  return rows.map((row) => ({
    wabaId: row.waba_id,
    syncedAt: row.synced_at === null ? null : Number(row.synced_at),
    listed: row.listed,
    removed: row.removed,
    error: row.error,
  }));
}
