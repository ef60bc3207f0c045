/**
 * What a path where room may appear in a team calls, in its own transaction: the seam between the
 * inbox (a conversation arrives, is opened again, changes state) and assignment within the team,
 * which server/routing/ implements (its `Router`) and docs/inbox-server.md ("Assignment within a
 * team") describes.
 */
import type { StoreTransaction } from '../store/group-commit.js';

export interface Assigned {
  readonly conversationId: number;
  readonly agentId: number;
  readonly teamId: number;
}

export interface TeamFilling {
  /** Team `teamId`'s queue may have someone to give to (a conversation arrived or came back, a member joined or got more capacity). */
  fillTeam(trx: StoreTransaction, teamId: number, now: number): Promise<Assigned[]>;
  /** `agentId` may have room (they freed a place, came online): each of their teams is filled. */
  fillRoomOf(trx: StoreTransaction, agentId: number, now: number): Promise<Assigned[]>;
}
