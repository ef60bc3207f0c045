/**
 * Which team a new conversation goes to: its business number's default team, else the default
 * team (the oldest one: "General" after migration 0013). One small function on purpose: the
 * routing rules (by number, keyword, language, ad referral) replace it.
 */
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';

const numbersTeam = prepareQuery((db, v: { phoneNumberId: string }) =>
  db.selectFrom('business_numbers').select('default_team_id').where('phone_number_id', '=', v.phoneNumberId),
);

const defaultTeam = prepareQuery((db, _v: Record<string, never>) => db.selectFrom('teams').select('id').orderBy('id').limit(1));

/** The team for a conversation starting now on this number; null only when no team exists. */
export async function teamForNewConversation(trx: StoreTransaction, phoneNumberId: string): Promise<number | null> {
  const number = await numbersTeam.first(trx, { phoneNumberId });
  if (number?.default_team_id !== null && number?.default_team_id !== undefined) return number.default_team_id;
  return (await defaultTeam.first(trx, {}))?.id ?? null;
}

/** The default team: where a number without a team of its own sends its conversations. */
export async function defaultTeamId(trx: StoreTransaction): Promise<number | null> {
  return (await defaultTeam.first(trx, {}))?.id ?? null;
}
