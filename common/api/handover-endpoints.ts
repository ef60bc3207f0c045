/** The client API's hand-over routes: transfer, claim, unassign, bulk reassignment, and whom one may transfer to. Each answers only about conversations the session may see. */
import { jsonRoute } from './endpoint.js';
import { BulkReassignBody, BulkReassigned, ClaimBody, HandedOver, TransferBody, TransferTargets, UnassignBody } from './handover.js';
import { IdParams } from './inbox.js';

export const HANDOVER_ENDPOINTS = {
  transferConversation: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/transfer',
    summary:
      'Transfer the conversation to an agent of its team (or of the team named), or to a team’s queue, with an optional note kept as an internal note and shown to the receiver; by its assignee or a supervisor of its team; audited, and on the event feed',
    tag: 'handover',
    access: 'inbox',
    params: IdParams,
    body: TransferBody,
    response: HandedOver,
  }),
  claimConversation: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/claim',
    summary: 'Take an unassigned conversation waiting in one of the caller’s teams’ queues; audited, and on the event feed',
    tag: 'handover',
    access: 'inbox',
    params: IdParams,
    body: ClaimBody,
    response: HandedOver,
  }),
  unassignConversation: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/:id/unassign',
    summary: 'Put the conversation back in its team’s queue (from the assignee named, as the caller saw them); by its assignee or a supervisor of its team',
    tag: 'handover',
    access: 'inbox',
    params: IdParams,
    body: UnassignBody,
    response: HandedOver,
  }),
  bulkReassign: jsonRoute({
    method: 'POST',
    url: '/v1/conversations/reassign',
    summary:
      'A supervisor moves up to 100 conversations of the teams they supervise at once (to an agent, a team’s queue, or back to their own queue): all or nothing',
    tag: 'handover',
    access: 'supervisor',
    body: BulkReassignBody,
    response: BulkReassigned,
  }),
  listTransferTargets: jsonRoute({
    method: 'GET',
    url: '/v1/conversations/:id/transfer-targets',
    summary: 'Whom the conversation may be transferred to: every team, with its members and whether each is at capacity',
    tag: 'handover',
    access: 'inbox',
    params: IdParams,
    response: TransferTargets,
  }),
};
