/**
 * The category Meta bills a template under (marketing, utility, authentication), from the synced
 * templates (migration 0032), for the analytics' template sends by category. A template the
 * store does not know (never synced, or sent before the first sync) is `undefined`: counted as
 * unknown, not guessed.
 */
import type { Kysely } from 'kysely';
import type { TemplateCategory } from '../../common/analytics/analytics-report.js';
import type { InboxDatabase } from '../store/schema.js';

const BILLED: ReadonlySet<string> = new Set(['marketing', 'utility', 'authentication']);

export function storedTemplateCategory(db: Kysely<InboxDatabase>) {
  return async (name: string, languageCode: string): Promise<TemplateCategory | undefined> => {
    const rows = await db
      .selectFrom('message_templates')
      .select(['category', 'removed_at'])
      .where('name', '=', name)
      .where('language', '=', languageCode)
      .orderBy('updated_at', 'desc')
      .execute();
    // One still listed by Meta wins over one it no longer lists (another account's, or an older copy).
    const row = rows.find((each) => each.removed_at === null) ?? rows[0];
    const category = row?.category.toLowerCase();
    return category !== undefined && BILLED.has(category) ? (category as TemplateCategory) : undefined;
  };
}
