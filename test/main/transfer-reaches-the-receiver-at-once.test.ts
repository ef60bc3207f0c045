/**
 * Hand-over between two workstations, over a listening server, each a real client core with its
 * own encrypted cache: Anna (teams A and B) and Bruno (team A). Anna claims a conversation from
 * team A's queue (it leaves Bruno's lists), transfers it to Bruno with a note: his workstation
 * shows it at once, with the note, the history line and a desktop notification, while it leaves
 * Anna's lists and cache (she may no longer see it). Bruno transfers it on to team B: it leaves
 * his workstation, and Anna, a member of team B, is told it waits in B's queue; she claims it and
 * unassigns it, and it waits in B's queue again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationHistoryEntry } from '../../common/api/conversation-lifecycle.js';
import type { HandedOver } from '../../common/api/handover.js';
import type { HistoryPage } from '../../common/api/inbox.js';
import type { NotePage } from '../../common/api/notes.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { until } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOTE = 'Cliente importante: richiamare entro le 17';

describe('a transfer between two workstations', () => {
  it('moves the conversation, its note and a notification to the receiver at once, and out of the sender’s cache', async () => {
    // Previews on: the notification shows the transfer's note.
    const t = await startTestServer({ tls: true, policy: { notificationPreviews: true } });
    cleanups.push(() => t.close());
    const teams = t.server.identity.teams;
    const teamA = (await teams.list()).teams.find((team) => team.isDefault)?.id ?? 0;
    const teamB = (await teams.create({ name: 'Vendite' }, IT)).id;

    const anna = await startCoreBehindProxy(t, cleanups);
    const annaId = (await pairAndEnroll(t, anna.call, anna.waitFor, 'anna', 'agent', { displayName: 'Anna', teamIds: [teamA, teamB] })).agentId;
    await anna.untilFirstLoad();
    const bruno = await startCoreBehindProxy(t, cleanups);
    const brunoId = (await pairAndEnroll(t, bruno.call, bruno.waitFor, 'bruno', 'agent', { displayName: 'Bruno', teamIds: [teamA] })).agentId;
    await bruno.untilFirstLoad();
    // Both away: routing gives neither of them new conversations (nor one left in a queue), so every
    // move below is a hand-over of theirs; hand-overs still reach an agent who is away.
    await anna.call('setAvailability', { available: false });
    await bruno.call('setAvailability', { available: false });

    const someone = customer(t, 0);
    const { conversationId } = await customerWrites(t, someone, 'Buongiorno, ho un problema con l’ordine');
    await until(
      'both see it in team A’s queue',
      async () => (await anna.listed('unassigned')).includes(conversationId) && (await bruno.listed()).includes(conversationId),
    );

    // Anna claims it: hers, and no longer in Bruno's view.
    const claimed = await anna.call<HandedOver>('claimConversation', { conversationId });
    expect(claimed.conversation).toMatchObject({ id: conversationId, assignedAgentId: annaId, teamId: teamA });
    expect(await anna.listed('mine')).toEqual([conversationId]);
    await until('it leaves Bruno’s list once Anna claims it', async () => !(await bruno.listed()).includes(conversationId));
    const notifiedBefore = bruno.platform.desktop.notifications.length;

    // Anna transfers it to Bruno with a note: his at once, with the note; gone from Anna's view.
    const transferred = await anna.call<HandedOver>('transferConversation', { conversationId, transfer: { agentId: brunoId, note: NOTE } });
    expect(transferred).toEqual({ conversationId, conversation: null });
    await until('it reaches Bruno’s list', async () => (await bruno.listed('mine')).includes(conversationId));
    await until('Bruno is notified', () => Promise.resolve(bruno.platform.desktop.notifications.length > notifiedBefore));
    expect(bruno.platform.desktop.notifications.slice(notifiedBefore)).toContainEqual({
      title: `Anna transferred a conversation to you · ${someone.name}`,
      body: NOTE,
    });
    const notes = await bruno.call<NotePage>('listNotes', { conversationId });
    expect(notes.items.map((note) => [note.author.agentId, note.body])).toEqual([[annaId, NOTE]]);
    const history = await bruno.call<HistoryPage>('listConversationHistory', { conversationId });
    const [transfer] = history.items;
    expect(transfer).toMatchObject<Partial<ConversationHistoryEntry>>({
      kind: 'assignment',
      assignee: { agentId: brunoId, name: 'Bruno' },
      actor: { agentId: annaId, name: 'Anna' },
      team: null,
      noteId: notes.items[0]?.id ?? 0,
    });
    await until('it leaves Anna’s list and cache', async () => !(await anna.listed()).includes(conversationId));
    await anna.whileOffline(async () => {
      expect(await anna.call('getConversation', { conversationId }).catch((error: Error) => error.message)).toMatch(/conversation_not_cached/);
      // Nor its note: the cache holds no note of a conversation it does not hold.
      expect((await anna.call<NotePage>('listNotes', { conversationId })).items).toEqual([]);
    });

    // Bruno transfers it on to team B's queue: it leaves his workstation; Anna, of team B, is told it waits there.
    const annaNotifiedBefore = anna.platform.desktop.notifications.length;
    expect(await bruno.call<HandedOver>('transferConversation', { conversationId, transfer: { teamId: teamB } })).toEqual({
      conversationId,
      conversation: null,
    });
    await until('it leaves Bruno’s list', async () => !(await bruno.listed()).includes(conversationId));
    await until('it waits in team B’s queue on Anna’s workstation', async () => (await anna.listed('unassigned')).includes(conversationId));
    await until('Anna is told', () => Promise.resolve(anna.platform.desktop.notifications.length > annaNotifiedBefore));
    expect(anna.platform.desktop.notifications.slice(annaNotifiedBefore)).toContainEqual({
      title: `Bruno transferred a conversation to Vendite · ${someone.name}`,
      body: null,
    });

    // Claimed and unassigned again: back in team B's queue, each step a line of its history.
    expect((await anna.call<HandedOver>('claimConversation', { conversationId })).conversation).toMatchObject({ assignedAgentId: annaId, teamId: teamB });
    const unassigned = await anna.call<HandedOver>('unassignConversation', { conversationId, fromAgentId: annaId });
    expect(unassigned.conversation).toMatchObject({ assignedAgentId: null, teamId: teamB });
    await until('the history lines reach Anna', async () => {
      const lines = await anna.call<HistoryPage>('listConversationHistory', { conversationId });
      return lines.items.length >= 5;
    });
    const lines = (await anna.call<HistoryPage>('listConversationHistory', { conversationId })).items;
    expect(lines.slice(0, 5).map((line) => [line.assignee?.agentId ?? null, line.actor?.agentId ?? null, line.team?.name ?? null])).toEqual([
      [null, annaId, null],
      [annaId, annaId, null],
      [null, brunoId, 'Vendite'],
      [brunoId, annaId, null],
      [annaId, annaId, null],
    ]);
    const audited = await t.server.database.db
      .selectFrom('audit_log')
      .select(['event', 'details_json'])
      .where('event', 'like', 'conversation.%')
      .orderBy('id')
      .execute();
    expect(audited.map((row) => row.event)).toEqual([
      'conversation.claimed',
      'conversation.transferred',
      'conversation.transferred',
      'conversation.claimed',
      'conversation.unassigned',
    ]);
    // The audit says a note went with the transfer, never what it said.
    expect(audited.some((row) => row.details_json.includes('richiamare'))).toBe(false);
    expect(JSON.parse(audited[1]?.details_json ?? '{}')).toMatchObject({ conversationId, fromAgentId: annaId, toAgentId: brunoId, withNote: true });
  }, 90_000);
});
