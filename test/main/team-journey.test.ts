/**
 * A day at the desk, over a listening server with the sandbox: three workstations, each a real
 * client core with its own encrypted cache: Anna in team A (capacity 1), Bruno in team B, Sara
 * supervising both. Routing rules place each new conversation by keyword (first) and by the
 * business number it was written to (the sandbox serves two); the team's agent takes it while they
 * have room, else it waits in the team's queue until a resolve frees a place. Anna transfers one to
 * Bruno with a note: his cache holds it and the note at once, hers lets it go. A customer whose
 * conversation Anna resolved writes again: the new conversation is hers. Bruno's network goes away:
 * after team B's offline time his conversations wait in B's queue, as Sara's screen shows, and
 * what Sara moves while he is gone leaves his cache when he is back. At every step each
 * workstation lists what the need-to-know rule gives its agent, and the caches hold nothing of
 * another team's conversations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HandedOver } from '../../common/api/handover.js';
import type { ConversationSummary, HistoryPage, MessagePage } from '../../common/api/inbox.js';
import type { NotePage } from '../../common/api/notes.js';
import type { SupervisorOverview } from '../../common/api/supervision.js';
import { RoutingAdmin } from '../../server/routing/routing-admin.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import type { CoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { until } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Waits are generous: the machine running them is busy. */
const WAIT_MS = 30_000;
const NOTE = 'Chiede della fattura di marzo: le ho promesso una risposta entro oggi';

const byId = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);

/** Where the server has the conversation: its team, holder and state. */
async function placeOf(t: TestServer, conversationId: number) {
  return t.server.database.db
    .selectFrom('conversations')
    .select(['team_id', 'assigned_agent_id', 'state', 'previous_conversation_id', 'previous_resolved_by_agent_id'])
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
}

/** Until each workstation lists exactly these open conversations (`all`: everything its agent may see). */
async function untilListed(what: string, expected: ReadonlyArray<readonly [CoreBehindProxy, readonly number[]]>): Promise<void> {
  await until(
    what,
    async () => {
      for (const [workstation, ids] of expected) if ((await workstation.listed()).join() !== byId(ids).join()) return false;
      return true;
    },
    WAIT_MS,
  );
}

/** What the workstation's cache alone answers of these conversations: their messages and notes (ids). */
async function cached(workstation: CoreBehindProxy, conversationIds: readonly number[]) {
  return workstation.whileOffline(async () => {
    const listed = await workstation.listed();
    const of = new Map<number, { messages: number; notes: string[] }>();
    for (const conversationId of conversationIds) {
      const messages = await workstation.call<MessagePage>('listMessages', { conversationId });
      const notes = await workstation.call<NotePage>('listNotes', { conversationId });
      of.set(conversationId, { messages: messages.items.length, notes: notes.items.map((note) => note.body) });
    }
    return { listed, of: (conversationId: number) => of.get(conversationId) };
  });
}

describe('a team’s day on three workstations', () => {
  it('routes by rule and capacity, hands over with a note, reopens to who resolved, and requeues an agent who went offline', async () => {
    // No sweep: every assignment seen is one the path that made room called for.
    const t = await startTestServer({ tls: true, routing: { sweepMs: 3_600_000 } });
    cleanups.push(() => t.close());
    const db = t.server.database.db;
    const teams = t.server.identity.teams;
    const teamA = (await teams.create({ name: 'Assistenza' }, IT)).id;
    const teamB = (await teams.create({ name: 'Vendite' }, IT)).id;
    const [support, sales] = t.sandbox.businesses;
    if (support === undefined || sales === undefined) throw new Error('the sandbox serves two numbers');
    // Rules in order: a word about invoices goes to Vendite from either number; else each number to its team.
    const routing = new RoutingAdmin({ db, committer: t.server.committer, now: Date.now });
    await routing.create({ condition: { kind: 'keyword', keywords: ['fattur*'] }, teamId: teamB }, IT);
    await routing.create({ condition: { kind: 'number', phoneNumberId: support.phoneNumberId }, teamId: teamA }, IT);
    await routing.create({ condition: { kind: 'number', phoneNumberId: sales.phoneNumberId }, teamId: teamB }, IT);

    const anna = await startCoreBehindProxy(t, cleanups);
    const annaId = (await pairAndEnroll(t, anna.call, anna.waitFor, 'anna', 'agent', { displayName: 'Anna', teamIds: [teamA], capacity: 1 })).agentId;
    await anna.untilFirstLoad();
    const bruno = await startCoreBehindProxy(t, cleanups);
    const brunoId = (await pairAndEnroll(t, bruno.call, bruno.waitFor, 'bruno', 'agent', { displayName: 'Bruno', teamIds: [teamB], capacity: 3 })).agentId;
    await bruno.untilFirstLoad();
    const sara = await startCoreBehindProxy(t, cleanups);
    await pairAndEnroll(t, sara.call, sara.waitFor, 'sara', 'supervisor', { displayName: 'Sara', teamIds: [teamA, teamB] });
    await sara.untilFirstLoad();

    // Two customers write to the support number: the first is Anna's, the second waits in A's queue (she holds one, her capacity).
    const modem = (await customerWrites(t, customer(t, 0), 'Buongiorno, il modem non si accende più', support)).conversationId;
    await until('the first is Anna’s', async () => (await anna.listed('mine')).join() === `${modem}`, WAIT_MS);
    const slow = (await customerWrites(t, customer(t, 1), 'Salve, la linea è lentissima da ieri', support)).conversationId;
    await until('the second waits in A’s queue on Anna’s workstation', async () => (await anna.listed('unassigned')).join() === `${slow}`, WAIT_MS);
    expect(await placeOf(t, slow)).toMatchObject({ team_id: teamA, assigned_agent_id: null });
    // One to the sales number, and one to the support number about an invoice: the keyword rule wins, both are Bruno's.
    const quote = (await customerWrites(t, customer(t, 2), 'Vorrei un preventivo per tre linee', sales)).conversationId;
    const invoice = (await customerWrites(t, customer(t, 3), 'Non ho ricevuto la fattura di marzo', support)).conversationId;
    await until('both are Bruno’s', async () => (await bruno.listed('mine')).join() === byId([quote, invoice]).join(), WAIT_MS);
    expect(await placeOf(t, quote)).toMatchObject({ team_id: teamB, assigned_agent_id: brunoId });
    expect(await placeOf(t, invoice)).toMatchObject({ team_id: teamB, assigned_agent_id: brunoId });
    expect(await placeOf(t, modem)).toMatchObject({ team_id: teamA, assigned_agent_id: annaId });
    await untilListed('each sees their team, Sara both', [
      [anna, [modem, slow]],
      [bruno, [quote, invoice]],
      [sara, [modem, slow, quote, invoice]],
    ]);
    // Anna's cache holds team A's conversations and their messages, nothing of team B's.
    const annaHolds = await cached(anna, [modem, slow, quote, invoice]);
    expect(annaHolds.listed).toEqual(byId([modem, slow]));
    expect(annaHolds.of(modem)?.messages).toBe(1);
    expect(annaHolds.of(slow)?.messages).toBe(1);
    expect(annaHolds.of(quote)).toEqual({ messages: 0, notes: [] });
    expect(annaHolds.of(invoice)).toEqual({ messages: 0, notes: [] });

    // Anna resolves the first: her place is free, and the one waiting in A's queue is hers.
    await anna.call('changeConversationState', { conversationId: modem, change: { state: 'resolved' } });
    await until('the queued one is Anna’s once she resolves', async () => (await anna.listed('mine')).join() === `${slow}`, WAIT_MS);
    expect(await placeOf(t, slow)).toMatchObject({ team_id: teamA, assigned_agent_id: annaId });
    expect(await placeOf(t, modem)).toMatchObject({ state: 'resolved', assigned_agent_id: annaId });

    // Anna transfers it to Bruno, in his team, with a note: on his workstation at once, note and all; gone from hers.
    const transferred = await anna.call<HandedOver>('transferConversation', {
      conversationId: slow,
      transfer: { agentId: brunoId, teamId: teamB, note: NOTE },
    });
    expect(transferred).toEqual({ conversationId: slow, conversation: null });
    await untilListed('the transfer reaches Bruno and leaves Anna', [
      [anna, []],
      [bruno, [slow, quote, invoice]],
      [sara, [slow, quote, invoice]],
    ]);
    expect(await placeOf(t, slow)).toMatchObject({ team_id: teamB, assigned_agent_id: brunoId });
    // Read with the server out of reach: the feed brought the conversation and the note into his cache.
    const brunoHolds = await cached(bruno, [slow]);
    expect(brunoHolds.listed).toEqual(byId([slow, quote, invoice]));
    expect(brunoHolds.of(slow)?.notes).toEqual([NOTE]);
    // He opens it: what the customer wrote before the transfer loads (and is kept).
    const opened = await bruno.call<MessagePage>('listMessages', { conversationId: slow });
    expect(opened.items.map((message) => message.content)).toEqual([{ type: 'text', body: 'Salve, la linea è lentissima da ieri' }]);
    // Anna's cache let go of it, its message and the note (she may no longer see it).
    const annaAfter = await cached(anna, [slow, quote, invoice]);
    expect(annaAfter.listed).toEqual([]);
    for (const id of [slow, quote, invoice]) expect(annaAfter.of(id)).toEqual({ messages: 0, notes: [] });

    // The first customer writes again: a new conversation, placed by the rules in A, and Anna's, who resolved their last one.
    const again = (await customerWrites(t, customer(t, 0), 'Scusate, il modem si è spento di nuovo', support)).conversationId;
    expect(again).not.toBe(modem);
    await until('the new one is Anna’s', async () => (await anna.listed('mine')).join() === `${again}`, WAIT_MS);
    expect(await placeOf(t, again)).toMatchObject({
      team_id: teamA,
      assigned_agent_id: annaId,
      previous_conversation_id: modem,
      previous_resolved_by_agent_id: annaId,
    });
    expect(await anna.call<ConversationSummary>('getConversation', { conversationId: again })).toMatchObject({
      previousConversationId: modem,
      assignedAgentId: annaId,
      teamId: teamA,
    });
    await untilListed('the new one on Anna’s and Sara’s workstations, not Bruno’s', [
      [anna, [again]],
      [bruno, [slow, quote, invoice]],
      [sara, [again, slow, quote, invoice]],
    ]);

    // Team B takes an agent's conversations back after a second offline. Bruno's network goes away.
    await teams.update(teamB, { offlineRequeueAfterSeconds: 1 }, IT);
    bruno.network.refuse(true);
    await bruno.untilConnection(false);
    await until(
      'Bruno’s conversations back in B’s queue',
      async () => (await Promise.all([slow, quote, invoice].map((id) => placeOf(t, id)))).every((place) => place.assigned_agent_id === null),
      WAIT_MS,
    );
    for (const id of [slow, quote, invoice]) expect(await placeOf(t, id)).toMatchObject({ team_id: teamB, state: 'open' });
    // Sara sees them queued: in her lists, each with its line of routing, and on her supervision screen.
    await until('queued on Sara’s workstation', async () => (await sara.listed('unassigned')).join() === byId([slow, quote, invoice]).join(), WAIT_MS);
    for (const conversationId of [slow, quote, invoice]) {
      const [latest] = (await sara.call<HistoryPage>('listConversationHistory', { conversationId })).items;
      expect(latest).toMatchObject({ kind: 'assignment', assignee: null, actor: null, cause: 'routing' });
    }
    const overview = await sara.call<SupervisorOverview>('getSupervisorOverview');
    expect(overview.teams.find((team) => team.teamId === teamB)).toMatchObject({
      queueLength: 3,
      members: [{ agentId: brunoId, open: 0, capacity: 3, online: false }],
    });
    expect(overview.teams.find((team) => team.teamId === teamA)).toMatchObject({
      queueLength: 0,
      members: [{ agentId: annaId, open: 1, capacity: 1, online: true }],
    });
    // Team B's queue is not Anna's to see: her cache holds none of it.
    const annaMeanwhile = await cached(anna, [slow, quote, invoice]);
    expect(annaMeanwhile.listed).toEqual([again]);
    for (const id of [slow, quote, invoice]) expect(annaMeanwhile.of(id)).toEqual({ messages: 0, notes: [] });

    // While Bruno is away Sara sends the transferred one back to A's queue; Anna is full, so it waits there.
    expect(await sara.call<HandedOver>('transferConversation', { conversationId: slow, transfer: { teamId: teamA } })).toMatchObject({
      conversation: { id: slow, teamId: teamA, assignedAgentId: null },
    });
    await until('it waits in A’s queue on Anna’s workstation', async () => (await anna.listed('unassigned')).join() === `${slow}`, WAIT_MS);

    // Bruno is back: team B's queue is his again, and the one Sara moved to A leaves his workstation.
    bruno.network.refuse(false);
    await bruno.untilConnection(true);
    await until('B’s queue is Bruno’s again', async () => (await bruno.listed('mine')).join() === byId([quote, invoice]).join(), WAIT_MS);
    await untilListed('Bruno back: B’s queue his again, A’s not his to see', [
      [anna, [again, slow]],
      [bruno, [quote, invoice]],
      [sara, [again, slow, quote, invoice]],
    ]);
    expect(await placeOf(t, quote)).toMatchObject({ team_id: teamB, assigned_agent_id: brunoId });
    expect(await placeOf(t, invoice)).toMatchObject({ team_id: teamB, assigned_agent_id: brunoId });
    expect(await placeOf(t, slow)).toMatchObject({ team_id: teamA, assigned_agent_id: null });
    // His cache kept nothing of it: read with the server out of reach (team B's offline time turned off first).
    await teams.update(teamB, { offlineRequeueAfterSeconds: null }, IT);
    const brunoBack = await cached(bruno, [slow, again, modem]);
    expect(brunoBack.listed).toEqual(byId([quote, invoice]));
    for (const id of [slow, again, modem]) expect(brunoBack.of(id)).toEqual({ messages: 0, notes: [] });

    // Anna resolves the new one: the one waiting in A's queue is hers, with the note she wrote.
    await anna.call('changeConversationState', { conversationId: again, change: { state: 'resolved' } });
    await until('the queued one is Anna’s again', async () => (await anna.listed('mine')).join() === `${slow}`, WAIT_MS);
    expect(await placeOf(t, slow)).toMatchObject({ team_id: teamA, assigned_agent_id: annaId });
    expect((await anna.call<NotePage>('listNotes', { conversationId: slow })).items.map((note) => note.body)).toEqual([NOTE]);
    await untilListed('the day’s end: each workstation holds what its agent may see', [
      [anna, [slow]],
      [bruno, [quote, invoice]],
      [sara, [slow, quote, invoice]],
    ]);

    // The requeue is audited as routing's act, once.
    const requeues = await db.selectFrom('audit_log').select(['actor', 'details_json']).where('event', '=', 'conversation.requeued_offline').execute();
    expect(requeues).toHaveLength(1);
    expect(requeues[0]?.actor).toBe('routing');
    expect(JSON.parse(requeues[0]?.details_json ?? '{}')).toMatchObject({ subjectAgentId: brunoId, teamId: teamB, requeued: 3 });
  }, 180_000);
});
