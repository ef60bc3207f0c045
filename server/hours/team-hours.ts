/**
 * A team's business hours and away message in the store (migration 0021): read for the settings
 * routes, written by an admin or one of the team's supervisors (checked first: a bad zone or
 * interval changes nothing), each change in one transaction with its audit row; and read on the
 * webhook path, one indexed lookup per customer message, compiled once per version of the hours.
 */
import type { Kysely } from 'kysely';
import type { BusinessHours, SetTeamHoursRequest, TeamHoursView } from '../../common/hours/business-hours.js';
import { BusinessHours as BusinessHoursShape, checkBusinessHours } from '../../common/hours/business-hours.js';
import type { CompiledHours } from '../../common/hours/open-hours.js';
import { compileHours } from '../../common/hours/open-hours.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../audit/actor.js';
import type { GroupCommitter, StoreTransaction } from '../store/group-commit.js';
import { prepareQuery } from '../store/prepared-query.js';
import type { InboxDatabase, TeamHoursTable } from '../store/schema.js';
import { TeamError, teamRow } from '../teams/team-membership.js';

type HoursColumns = Pick<TeamHoursTable, 'time_zone' | 'week_json' | 'holidays_json'>;

function hoursOf(row: HoursColumns): BusinessHours | null {
  if (row.time_zone === null || row.week_json === null || row.holidays_json === null) return null;
  return BusinessHoursShape.parse({ timeZone: row.time_zone, week: JSON.parse(row.week_json) as unknown, holidays: JSON.parse(row.holidays_json) as unknown });
}

export async function readTeamHours(db: Kysely<InboxDatabase> | StoreTransaction, teamId: number): Promise<TeamHoursView> {
  const team = await db.selectFrom('teams').select(['id', 'name']).where('id', '=', teamId).executeTakeFirst();
  if (team === undefined) throw new TeamError('team_not_found', `There is no team ${teamId}.`);
  const row = await db.selectFrom('team_hours').selectAll().where('team_id', '=', teamId).executeTakeFirst();
  return {
    teamId,
    teamName: team.name,
    hours: row === undefined ? null : hoursOf(row),
    awayMessage: row?.away_message ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/** Replaces a team's hours and away message; both null removes the row (always open, nothing sent). */
export async function setTeamHours(committer: GroupCommitter, teamId: number, request: SetTeamHoursRequest, actor: Actor, now: number): Promise<TeamHoursView> {
  if (request.hours !== null) checkBusinessHours(request.hours);
  return committer.submit(async (trx) => {
    await teamRow(trx, teamId);
    if (request.hours === null && request.awayMessage === null) {
      await trx.deleteFrom('team_hours').where('team_id', '=', teamId).execute();
    } else {
      const row = {
        time_zone: request.hours?.timeZone ?? null,
        week_json: request.hours === null ? null : JSON.stringify(request.hours.week),
        holidays_json: request.hours === null ? null : JSON.stringify(request.hours.holidays),
        away_message: request.awayMessage,
        updated_by_agent_id: actor.agentId,
        updated_at: now,
      };
      await trx
        .insertInto('team_hours')
        .values({ team_id: teamId, ...row })
        .onConflict((oc) => oc.column('team_id').doUpdateSet(row))
        .execute();
    }
    await appendAudit(
      trx,
      {
        event: 'team.hours_set',
        outcome: 'ok',
        actor: actor.name,
        agentId: actor.agentId,
        sourceAddress: actor.sourceAddress,
        details: { teamId, hours: request.hours !== null, timeZone: request.hours?.timeZone ?? null, awayMessage: request.awayMessage !== null },
      },
      now,
    );
    return readTeamHours(trx, teamId);
  });
}

export interface ConversationTeamHours {
  readonly teamId: number;
  readonly hours: CompiledHours;
  readonly awayMessage: string;
}

const hoursOfConversation = prepareQuery((db, v: { conversationId: number }) =>
  db
    .selectFrom('conversations')
    .innerJoin('team_hours', 'team_hours.team_id', 'conversations.team_id')
    .select(['team_hours.team_id', 'team_hours.time_zone', 'team_hours.week_json', 'team_hours.holidays_json', 'team_hours.away_message'])
    .where('conversations.id', '=', v.conversationId),
);

/** Compiled hours by what they say: hours change rarely, customers write often. */
const compiled = new Map<string, CompiledHours>();
const COMPILED_KEPT = 500;

/** The hours and away message of the conversation's team, when it has both; undefined otherwise (always open, or nothing to send). */
export async function awayHoursOfConversation(trx: StoreTransaction, conversationId: number): Promise<ConversationTeamHours | undefined> {
  const row = await hoursOfConversation.first(trx, { conversationId });
  if (row === undefined || row.away_message === null) return undefined;
  const version = `${row.time_zone ?? ''}\n${row.week_json ?? ''}\n${row.holidays_json ?? ''}`;
  let hours = compiled.get(version);
  if (hours === undefined) {
    const parsed = hoursOf(row);
    if (parsed === null) return undefined;
    hours = compileHours(parsed);
    if (compiled.size >= COMPILED_KEPT) compiled.clear();
    compiled.set(version, hours);
  }
  return { teamId: row.team_id, hours, awayMessage: row.away_message };
}
