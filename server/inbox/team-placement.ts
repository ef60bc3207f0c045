/**
 * Which team a new conversation goes to (a customer's first one, or one after a resolution): the
 * first enabled routing rule that matches (by number, keyword or language of the first message,
 * ad referral; server/routing/), else its business number's default team, else the default team
 * (the oldest one: "General" after migration 0013). Decided in the webhook's transaction, where
 * the first message is at hand (docs/routing.md).
 */
import { detectLanguage } from '../routing/detect-language.js';
import { evaluateRouting } from '../routing/evaluate-routing.js';
import type { FirstMessage } from '../routing/first-message.js';
import { NO_FIRST_MESSAGE } from '../routing/first-message.js';
import { rulesToEvaluate } from '../routing/routing-rule-rows.js';
import type { StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';

const numbersTeam = prepareQuery((db, v: { phoneNumberId: string }) =>
  db.selectFrom('business_numbers').select('default_team_id').where('phone_number_id', '=', v.phoneNumberId),
);

const defaultTeam = prepareQuery((db, _v: Record<string, never>) => db.selectFrom('teams').select('id').orderBy('id').limit(1));

/** The team for a conversation starting now on this number; null only when no team exists. */
export async function teamForNewConversation(
  trx: StoreTransaction,
  phoneNumberId: string,
  firstMessage: FirstMessage = NO_FIRST_MESSAGE,
): Promise<number | null> {
  const { rules, liveTeams } = await rulesToEvaluate(trx);
  const decided = evaluateRouting(rules, { phoneNumberId, firstMessage }, (teamId) => liveTeams.has(teamId), detectLanguage);
  if (decided !== null) return decided.teamId;
  const number = await numbersTeam.first(trx, { phoneNumberId });
  if (number?.default_team_id !== null && number?.default_team_id !== undefined) return number.default_team_id;
  return (await defaultTeam.first(trx, {}))?.id ?? null;
}

/** The default team: where a number without a team of its own sends its conversations. */
export async function defaultTeamId(trx: StoreTransaction): Promise<number | null> {
  return (await defaultTeam.first(trx, {}))?.id ?? null;
}
