/**
 * Need to know, path by path. Who may see a conversation is one rule
 * (common/api/conversation-access.ts); this test enumerates every path a conversation can take
 * (the server's routes as Fastify serves them, the feed's event kinds, the workstation's IPC calls
 * and events, the tables of its cache, its desktop notifications) and requires each to be
 * classified, so a new one without a line in test/security/need-to-know/ fails here, named. Internal
 * notes and their mentions take every such path too (list, by id, feed, cache, search, notifications). Then,
 * with real agents over a listening server and the real client core on real SQLCipher files, it
 * proves that agent Bruno gets nothing of a conversation assigned to agent Anna on any path, and
 * that the viewers the rule lets see it (Anna, her team's supervisor) do get it, so no probe
 * passes by finding nothing anywhere; that an agent of another team (Carla) and an admin who is
 * neither agent nor supervisor get nothing of it either; and, the other way round, that nobody of
 * team A gets anything of team B's conversation on any route, call, event or cache table, its
 * notes, history entries, presence and jobs included, while Carla does.
 *
 * New route, event kind, IPC call or cache table: classify it in need-to-know/routes.ts, feed.ts
 * or workstation.ts, with a probe when it carries conversation data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maySeeContactHistory, maySeeConversation } from '../../common/api/conversation-access.js';
import type { ServerEvent } from '../../common/api/events.js';
import { IPC_CALL_NAMES, IPC_EVENT_NAMES } from '../../common/ipc/contract.js';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { carriesConversation, classifiedEventKinds, declaredEventKinds, feedEventKind } from './need-to-know/feed.js';
import { markersIn, reachable, routeName, ROUTES, servedRoutes, theirIds, unclassified } from './need-to-know/routes.js';
import { BRUNOS_WORD, cachedMediaFiles, needToKnowScene, ruleViewer } from './need-to-know/scene.js';
import type { NeedToKnowScene } from './need-to-know/scene.js';
import { ELSEWHERE_ROUTES, elsewhereMarkersIn } from './need-to-know/elsewhere.js';
import { analyticsReach } from './need-to-know/analytics-probes.js';
import { ELSEWHERE_IPC } from './need-to-know/elsewhere-workstation.js';
import { templateChangeReaches } from './need-to-know/template-probes.js';
import { mayUseTemplatesOf } from '../../common/templates/template-access.js';
import { placesOfAccount } from '../../server/templates/template-announcer.js';
import { teamBRepliesAndLabels, teamBWordsReaching } from './need-to-know/labels.js';
import { CACHE_TABLES, cacheTableNames, everyValue, IPC_CALLS_CLASSIFIED, IPC_EVENTS_CLASSIFIED, openCacheOf } from './need-to-know/workstation.js';
import type { CacheTarget } from './need-to-know/workstation.js';

let scene: NeedToKnowScene;
beforeAll(async () => {
  scene = await needToKnowScene();
}, 180_000);
afterAll(async () => {
  await scene?.close();
});

/** What of Anna's conversation (or its customer's earlier one) a feed event gives away: its data, or its text under another name. Notices may name it. */
function leaks(event: ServerEvent): boolean {
  if (feedEventKind(event).carries === 'notice') return false;
  return theirIds(scene).includes(carriesConversation(event) ?? 0) || markersIn(scene, JSON.stringify(event)).length > 0;
}

const sees = (viewer: NeedToKnowScene['bruno']) => maySeeConversation(ruleViewer(viewer), scene.theirs.place);
const seesElsewhere = (viewer: NeedToKnowScene['bruno']) => maySeeConversation(ruleViewer(viewer), scene.elsewhere.place);
/** Whether an event is of team B's conversation, or holds its text. */
const ofElsewhere = (event: ServerEvent) => carriesConversation(event) === scene.elsewhere.id || elsewhereMarkersIn(scene, JSON.stringify(event)).length > 0;

describe('need to know, on every path', () => {
  it('starts from the rule as it stands: Anna and team A’s supervisor see her conversation; Bruno, the admin and team B’s agent do not', () => {
    expect(scene.viewers.map((viewer) => [viewer.name, sees(viewer), seesElsewhere(viewer)])).toEqual([
      ['bruno', false, false],
      ['anna', true, false],
      ['sara', true, false],
      ['dario', false, false],
      ['carla', false, true],
    ]);
    // The teams as the grants named them: the admin is in none, Carla only in team B.
    expect(scene.admin.teams).toEqual({ memberOf: [], supervises: [] });
    expect(scene.carla.teams).toEqual({ memberOf: [scene.teamB], supervises: [] });
    expect(scene.supervisor.teams).toEqual({ memberOf: [], supervises: [scene.teamA] });
  });

  it('lets Bruno read the customer’s earlier conversation through the current one while he may see it, and keeps none of it', () => {
    const { before } = scene.workstation;
    const { earlier } = scene.theirs;
    // The named exception at work: X waited in Bruno's view, so E (Anna's, resolved) was his to read.
    expect(maySeeContactHistory(ruleViewer(scene.bruno), { assignedAgentId: null, teamId: scene.teamA })).toBe(true);
    expect(maySeeConversation(ruleViewer(scene.bruno), scene.theirs.place)).toBe(false);
    // Through a current conversation of team B's queue, it would not be his.
    expect(maySeeContactHistory(ruleViewer(scene.bruno), { assignedAgentId: null, teamId: scene.teamB })).toBe(false);
    expect(before.earlierListed).toEqual([earlier.id]);
    expect([...before.earlierMessages].sort()).toEqual([...earlier.messageIds].sort());
    expect(before.earlierFileBytes).toBeGreaterThan(0);
    // Read, not kept: nothing of E was in his cache even then (the cache check below finds none now).
    expect(before.cachedMediaFiles).toBe(1);
  });

  it('has a classification for every route the server serves, and for nothing it does not serve', () => {
    const { app, apiRoutes } = scene.t.server;
    const served = servedRoutes(app);
    for (const route of served) expect(app.hasRoute({ method: route.method, url: route.url }), routeName(route)).toBe(true);
    // The walk sees the declared client API (the OpenAPI document's table) and what is registered beside it.
    const names = served.map(routeName);
    expect(names).toEqual(expect.arrayContaining(apiRoutes.map(routeName)));
    expect(names).toEqual(expect.arrayContaining(['GET /v1/events', 'POST /webhooks/whatsapp', 'GET /pair']));
    expect(unclassified(served)).toEqual({ missing: [], stale: [] });
  });

  it('has a classification for every event kind the feed declares, and for every IPC call and event', () => {
    expect(classifiedEventKinds()).toEqual(declaredEventKinds());
    expect(Object.keys(IPC_CALLS_CLASSIFIED).sort()).toEqual([...IPC_CALL_NAMES].sort());
    expect(Object.keys(IPC_EVENTS_CLASSIFIED).sort()).toEqual([...IPC_EVENT_NAMES].sort());
  });

  it('sends Bruno no event carrying her conversation, live or on replay: only the notice that it left him', async () => {
    const { brunoLive, theirs, waiting, bruno, beforeHandOver } = scene;
    const replays = [await scene.socket(bruno, 0), await scene.socket(bruno, beforeHandOver)];
    for (const [what, events] of [
      ['live', brunoLive.events],
      ['replayed from the start', replays[0]?.events ?? []],
      ['replayed from before the hand-over', replays[1]?.events ?? []],
    ] as const) {
      expect(events.filter(leaks), what).toEqual([]);
      // The feed did reach him: the conversation still waiting is there.
      expect(
        events.some((event) => carriesConversation(event) === waiting.id),
        what,
      ).toBe(true);
    }
    expect(brunoLive.events.some((event) => event.type === 'conversation_hidden' && event.conversationId === theirs.id)).toBe(true);
    // Presence is told live only: Bruno heard of the supervisor in the waiting one, never of Anna typing in hers; the supervisor did hear of that.
    expect(brunoLive.events.some((event) => event.type === 'presence' && event.conversationId === waiting.id)).toBe(true);
    expect(
      scene.supervisorLive.events.some(
        (event) =>
          event.type === 'presence' && event.conversationId === theirs.id && event.others.some((other) => other.agentId === scene.anna.agentId && other.typing),
      ),
    ).toBe(true);
    for (const replay of replays) expect(replay?.events.some((event) => event.type === 'presence')).toBe(false);
  });

  it('never lets Bruno’s workstation tell him of it: no IPC event and no desktop notification once Anna took it', () => {
    const { ipcEvents, platform, handedOverAt } = scene.workstation;
    const after = ipcEvents.slice(handedOverAt.ipcEvents);
    const feed = after.filter(({ event }) => IPC_EVENTS_CLASSIFIED[event].carries === 'feed').map(({ payload }) => payload as IpcEventPayload<'inbox'>);
    expect(feed.filter(leaks)).toEqual([]);
    // Presence did reach his workstation: the supervisor in the conversation still waiting.
    expect(after.some(({ event, payload }) => event === 'presence' && (payload as IpcEventPayload<'presence'>).conversationId === scene.waiting.id)).toBe(true);
    expect(
      after.filter(({ event, payload }) => IPC_EVENTS_CLASSIFIED[event].carries !== 'feed' && markersIn(scene, JSON.stringify(payload)).length > 0),
    ).toEqual([]);
    const notifications = platform.desktop.notifications;
    // While it waited unassigned, Bruno was notified of it: the notifier fires for what he may see.
    expect(notifications.slice(0, handedOverAt.notifications).some((shown) => markersIn(scene, JSON.stringify(shown)).length > 0)).toBe(true);
    expect(notifications.slice(handedOverAt.notifications).filter((shown) => markersIn(scene, JSON.stringify(shown)).length > 0)).toEqual([]);
    expect(notifications.slice(handedOverAt.notifications)).toContainEqual({ title: scene.waiting.customer.name, body: 'sentinella due' });
  });

  it('serves Bruno nothing of it through his workstation’s calls', async () => {
    for (const name of IPC_CALL_NAMES) {
      const kind = IPC_CALLS_CLASSIFIED[name];
      if (kind.carries === 'conversation') expect(await kind.probe(scene), name).toBe(false);
    }
  }, 60_000);

  it('never lets team B’s conversation reach anyone of team A: not their feeds, live or replayed, Bruno’s workstation’s events, notifications or calls', async () => {
    const { workstation, brunoLive, supervisorLive, carlaLive, bruno, supervisor, elsewhere } = scene;
    for (const viewer of [bruno, supervisor]) {
      const replay = await scene.socket(viewer, 0);
      expect(replay.events.filter(ofElsewhere), `${viewer.name}'s replay`).toEqual([]);
    }
    // Live: not its messages, notes or history entries, and not Carla typing in it.
    expect(brunoLive.events.filter(ofElsewhere)).toEqual([]);
    expect(supervisorLive.events.filter(ofElsewhere)).toEqual([]);
    expect(
      workstation.ipcEvents.filter(({ event, payload }) =>
        IPC_EVENTS_CLASSIFIED[event].carries === 'feed' ? ofElsewhere(payload as ServerEvent) : elsewhereMarkersIn(scene, JSON.stringify(payload)).length > 0,
      ),
    ).toEqual([]);
    expect(workstation.platform.desktop.notifications.filter((shown) => elsewhereMarkersIn(scene, JSON.stringify(shown)).length > 0)).toEqual([]);
    // Carla's socket was told of her presence in V: the presence that never reached team A was there to be told.
    expect(carlaLive.events.some((event) => event.type === 'presence' && event.conversationId === elsewhere.id)).toBe(true);
    // Every workstation call that carries a conversation is asked of V.
    const conversationCalls = Object.entries(IPC_CALLS_CLASSIFIED)
      .filter(([, kind]) => kind.carries === 'conversation')
      .map(([name]) => name)
      .sort();
    expect(Object.keys(ELSEWHERE_IPC).sort()).toEqual(conversationCalls);
    for (const probe of Object.values(ELSEWHERE_IPC)) await probe?.(scene);
    // V is there, in team B, with its note, history entries and job: the checks had something to miss.
    const { db } = scene.t.server.database;
    expect(await db.selectFrom('conversations').select('team_id').where('id', '=', elsewhere.id).executeTakeFirstOrThrow()).toEqual({ team_id: scene.teamB });
    expect(elsewhere.noteIds.length).toBeGreaterThan(0);
    expect(elsewhere.historyIds.length).toBeGreaterThan(0);
    expect(await db.selectFrom('jobs').select('conversation_id').where('id', '=', elsewhere.jobId).executeTakeFirstOrThrow()).toEqual({
      conversation_id: elsewhere.id,
    });
  }, 60_000);

  it('leaves nothing of it in Bruno’s cache once the feed has caught up, the search index and the media included', async () => {
    const { workstation, theirs, brunos, t } = scene;
    expect(workstation.before.searchHits).toBeGreaterThan(0);
    expect(workstation.before.noteHits).toBeGreaterThan(0);
    expect(workstation.before.cachedMediaFiles).toBeGreaterThan(0);
    await workstation.core.stop();
    const db = openCacheOf(workstation.platform);
    try {
      const tables = cacheTableNames(db);
      expect({
        missing: tables.filter((table) => CACHE_TABLES[table] === undefined),
        stale: Object.keys(CACHE_TABLES).filter((table) => !tables.includes(table)),
      }).toEqual({ missing: [], stale: [] });
      const theirTarget: CacheTarget = {
        id: theirs.id,
        messageIds: theirs.messageIds,
        noteIds: theirs.noteIds,
        mediaIds: theirs.media.map((file) => file.mediaId),
        terms: theirs.terms,
      };
      const brunosMessages = await t.server.database.db.selectFrom('messages').select('id').where('conversation_id', '=', brunos.id).execute();
      const ownTarget: CacheTarget = {
        id: brunos.id,
        messageIds: brunosMessages.map((row) => row.id),
        noteIds: [brunos.noteId],
        mediaIds: [brunos.media.mediaId],
        terms: [BRUNOS_WORD, ...brunos.customer.name.toLowerCase().split(' ')],
      };
      const held = (target: CacheTarget) =>
        Object.fromEntries(
          tables.map((table): [string, unknown[]] => [table, CACHE_TABLES[table]?.find(db, target) ?? []]).filter(([, found]) => found.length > 0),
        );
      expect(held(theirTarget)).toEqual({});
      const earlierTarget: CacheTarget = {
        id: theirs.earlier.id,
        messageIds: theirs.earlier.messageIds,
        noteIds: [],
        mediaIds: theirs.earlier.mediaIds,
        terms: theirs.terms,
      };
      expect(held(earlierTarget)).toEqual({});
      const elsewhereTarget: CacheTarget = {
        id: scene.elsewhere.id,
        messageIds: scene.elsewhere.messageIds,
        noteIds: scene.elsewhere.noteIds,
        mediaIds: [scene.elsewhere.media.mediaId],
        terms: scene.elsewhere.terms,
      };
      expect(held(elsewhereTarget)).toEqual({});
      // Each check finds Bruno's own conversation where such a table holds it.
      const controlled = tables.filter((table) => CACHE_TABLES[table]?.controlled === true);
      expect(
        Object.keys(held(ownTarget))
          .filter((table) => controlled.includes(table))
          .sort(),
      ).toEqual(controlled);
      // Whatever the classification says, no value anywhere holds her text, her customer or her words as
      // indexed, nor anything of team B's conversation, which Bruno (team A) never saw.
      const needles = [...new Set([...theirs.markers, ...theirs.terms, ...scene.elsewhere.markers, ...scene.elsewhere.terms])];
      expect(
        everyValue(db).flatMap(({ table, value }) => needles.filter((needle) => value.includes(Buffer.from(needle))).map((needle) => `${table}: ${needle}`)),
      ).toEqual([]);
      // Each sealed media file is one the index lists: hers went with her conversation.
      expect(cachedMediaFiles(workstation.platform)).toHaveLength((db.prepare('select count(*) as n from media_index').get() as { n: number }).n);
    } finally {
      db.close();
    }
  }, 60_000);

  it('gives every viewer, through every conversation route, exactly what the rule says: Bruno nothing of it', async () => {
    const served = servedRoutes(scene.t.server.app);
    for (const route of served) {
      const kind = ROUTES[routeName(route)];
      if (kind?.carries !== 'conversation') continue;
      for (const viewer of scene.viewers)
        expect(await kind.probe(scene, viewer), `${routeName(route)} for ${viewer.name}`).toBe(reachable(kind, sees(viewer), viewer));
    }
  }, 90_000);

  it('carries nothing of it on the routes declared to carry none (those a GET reaches, asked by an admin and by anyone), nor on /metrics', async () => {
    const { desk, admin, t } = scene;
    const readable = servedRoutes(t.server.app).filter(
      (route) => route.method === 'GET' && !route.url.includes(':') && ROUTES[routeName(route)]?.carries === 'nothing',
    );
    expect(readable.map(routeName)).toEqual(expect.arrayContaining(['GET /v1/admin/audit', 'GET /v1/admin/agents', 'GET /v1/admin/devices']));
    for (const route of readable) {
      for (const token of [admin.token, undefined]) {
        const answer = await desk.request('GET', route.url, { token });
        expect(markersIn(scene, answer.bytes.toString('utf8')), `${routeName(route)} ${token === undefined ? 'anonymous' : 'as the admin'}`).toEqual([]);
      }
    }
    const audit = await desk.call<{ items: unknown[] }>('GET', '/v1/admin/audit', undefined, admin.token);
    expect(audit.status).toBe(200);
    expect(audit.body.items.length).toBeGreaterThan(0);
    const metrics = await fetch(`${t.server.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(markersIn(scene, await metrics.text())).toEqual([]);
  });

  it('gives an admin who is neither agent nor supervisor no conversation at all: no list, no event', async () => {
    const { admin, desk } = scene;
    const list = await desk.call('GET', '/v1/conversations?filter=all', undefined, admin.token);
    expect(list).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
    const replay = await scene.socket(admin, 0);
    expect(replay.events.filter((event) => feedEventKind(event).carries !== 'nothing')).toEqual([]);
    expect(replay.events).toContainEqual({ type: 'view_changed', roles: ['admin'], teams: { memberOf: [], supervises: [] } });
  });

  it('gives the figures of team A to its supervisor and to the admin only, and of team B to the admin only; agents get none', async () => {
    const reach = Object.fromEntries(
      await Promise.all(scene.viewers.map(async (viewer) => [viewer.name, await analyticsReach(scene, viewer, markersIn)] as const)),
    );
    const refused = { all: 403, teams: [], teamA: 403, teamB: 403, csvTeamB: 403, targetTeamB: 403 };
    expect(reach).toEqual({
      bruno: refused,
      anna: refused,
      // Sara supervises team A alone: her report holds team A's row and no other, and team B is refused her.
      sara: { all: 200, teams: [scene.teamA], teamA: 200, teamB: 403, csvTeamB: 403, targetTeamB: 403 },
      dario: { all: 200, teams: [scene.teamA, scene.teamB], teamA: 200, teamB: 200, csvTeamB: 200, targetTeamB: 200 },
      carla: refused,
    });
  });

  it('keeps each team’s quick replies and labels to the team: Carla reads team B’s, nobody of team A does, on any route that lists them', async () => {
    await teamBRepliesAndLabels(scene);
    const reached = Object.fromEntries(await Promise.all(scene.viewers.map(async (viewer) => [viewer.name, await teamBWordsReaching(scene, viewer)] as const)));
    const none = { '/v1/quick-replies': false, '/v1/labels': false, '/v1/manage/quick-replies': false, '/v1/manage/labels': false };
    expect(reached).toEqual({
      bruno: none,
      anna: none,
      sara: none,
      dario: none,
      // Carla uses them; she does not manage them (team B has no supervisor here).
      carla: { ...none, '/v1/quick-replies': true, '/v1/labels': true },
    });
  });

  it('tells a template’s change only to those who may use its account’s numbers, by the rule: never an admin who reads no conversation', async () => {
    const places = await placesOfAccount(scene.t.server.database.db, scene.t.sandbox.business.wabaId);
    const expected = scene.viewers.filter((viewer) => mayUseTemplatesOf(ruleViewer(viewer), places));
    expect(expected.map((viewer) => viewer.name)).toEqual(expect.arrayContaining(['anna', 'sara']));
    expect(expected.map((viewer) => viewer.name)).not.toContain('dario');
    expect((await templateChangeReaches(scene, expected)).sort()).toEqual(expected.map((viewer) => viewer.name).sort());
  });

  it('gives every viewer, through every conversation route, exactly what the rule says of team B’s conversation: only Carla gets it', async () => {
    const conversationRoutes = Object.entries(ROUTES)
      .filter(([, kind]) => kind.carries === 'conversation')
      .map(([name]) => name)
      .sort();
    expect(Object.keys(ELSEWHERE_ROUTES).sort()).toEqual(conversationRoutes);
    for (const [name, probe] of Object.entries(ELSEWHERE_ROUTES)) {
      const kind = ROUTES[name];
      if (kind?.carries !== 'conversation') throw new Error(`${name} carries no conversation`);
      for (const viewer of scene.viewers) expect(await probe(scene, viewer), `${name} for ${viewer.name}`).toBe(reachable(kind, seesElsewhere(viewer), viewer));
    }
  }, 90_000);
});
