/**
 * Regression: the client's media cache is keyed by media id alone. A conversation taken from an
 * agent (`conversation_hidden`) left its sealed files and index rows behind, and `getMedia`
 * served a cached file whatever had become of its message. Now an index row lives only while a
 * cached message carries its media, the files go with it, and `getMedia` answers from the cache
 * only for a message the agent may still see (else the server decides). Real server, real core,
 * real SQLCipher files; the who-sees-what rule is the one in common/.
 */
import crypto from 'node:crypto';
import { TEST_TEAM, teamViewer } from '../helpers/cache-rows.js';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { maySeeConversation } from '../../common/api/conversation-access.js';
import type { ConnectionState } from '../../common/ipc/app-state.js';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { openCacheDatabase } from '../../main/cache/cache-database.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { cacheDir } from '../../main/cache/workstation-cache.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { conversationView, textMessageView } from '../helpers/cache-rows.js';
import { coreBehindProxy } from '../helpers/core-behind-proxy.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { customer } from '../helpers/conversations.js';
import { IT } from '../helpers/identity-setup.js';
import type { TestPlatform } from '../helpers/node-platform.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { eventually } from '../helpers/store-queries.js';
import type { TestServer } from '../helpers/test-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A small valid PNG (1×1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const mediaFiles = (platform: TestPlatform) => {
  const dir = path.join(cacheDir(platform.userDataDir), 'media');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

/** The media index as the file holds it, read with the cache's key and nothing tidied on the way. */
function mediaIndexRows(platform: TestPlatform): number {
  const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
  const db = openCacheDatabase(cacheDir(platform.userDataDir), secrets.keys(Date.now()).database);
  try {
    return (db.prepare('select count(*) as n from media_index').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Bruno on his workstation, a customer's photo in an unassigned conversation he sees, and Anna who will take it. */
async function brunoSeesAPhoto() {
  const { t, network, platform, core } = await coreBehindProxy(cleanups);
  let connection: ConnectionState['status'] = 'offline';
  const hidden = new Set<number>();
  const media = new Set<number>();
  core.onEvent((event, payload) => {
    if (event === 'connection') connection = (payload as ConnectionState).status;
    if (event !== 'inbox') return;
    const feed = payload as IpcEventPayload<'inbox'>;
    if (feed.type === 'conversation_hidden') hidden.add(feed.conversationId);
    if ((feed.type === 'message' || feed.type === 'status') && feed.message.media?.state === 'stored') media.add(feed.message.media.id);
  });
  await core.start();
  const { call, waitFor } = coreDriver(core);
  const bruno = await pairAndEnroll(t, call, waitFor, 'bruno', 'agent');
  const untilConnection = (status: ConnectionState['status']) => eventually(() => Promise.resolve(connection === status ? true : undefined), 10_000, status);
  await untilConnection('online');
  const anna = await t.server.identity.agents.create({ username: 'anna', displayName: 'Anna', roles: ['agent'] }, IT);
  await conversationsWaitForAReply(t);

  const graphMedia = t.sandbox.graph.addMedia(PNG, 'image/png');
  await t.customers.write(customer(t, 0), {
    type: 'image',
    image: { id: graphMedia.id, mime_type: 'image/png', sha256: graphMedia.sha256Base64, caption: 'la scatola rotta' },
  });
  const stored = await eventually(async () => {
    const row = await t.server.database.db.selectFrom('media').select(['id', 'state']).where('graph_media_id', '=', graphMedia.id).executeTakeFirst();
    return row?.state === 'stored' ? row : undefined;
  });
  const { conversation_id: conversationId } = await t.server.database.db
    .selectFrom('messages')
    .select('conversation_id')
    .where('media_id', '=', stored.id)
    .executeTakeFirstOrThrow();
  await eventually(() => Promise.resolve(media.has(stored.id) ? true : undefined), 10_000, 'the photo’s message on the workstation');
  expect(maySeeConversation(teamViewer(bruno.agentId, 'agent'), { assignedAgentId: null, teamId: TEST_TEAM })).toBe(true);

  const handOver = async (server: TestServer) => {
    await server.server.sendService.send(
      { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Ci penso io.' },
      teamViewer(anna.agent.id, 'agent'),
    );
    await eventually(() => Promise.resolve(hidden.has(conversationId) ? true : undefined), 10_000, 'the notice on the workstation');
    expect(maySeeConversation(teamViewer(bruno.agentId, 'agent'), { assignedAgentId: anna.agent.id, teamId: TEST_TEAM })).toBe(false);
  };
  return { t, network, platform, core, call, mediaId: stored.id, handOver, untilConnection };
}

describe('cached media follows what the agent may see', () => {
  it('goes, sealed file and index row, when the conversation is taken, and getMedia refuses it online and offline', async () => {
    const { t, network, platform, core, call, mediaId, handOver, untilConnection } = await brunoSeesAPhoto();
    const shown = (await call('getMedia', { mediaId })) as { bytes: Uint8Array };
    expect(Buffer.from(shown.bytes).equals(PNG)).toBe(true);
    expect(mediaFiles(platform)).toHaveLength(1);

    await handOver(t);
    await eventually(() => Promise.resolve(mediaFiles(platform).length === 0 ? true : undefined), 10_000, 'the sealed file erased');
    expect(await dispatchIpc(core, 'getMedia', { mediaId })).toMatchObject({ ok: false, code: 'media_not_found' });

    network.refuse(true);
    await untilConnection('offline');
    expect((await dispatchIpc(core, 'getMedia', { mediaId })).ok).toBe(false);
    await core.stop();
    expect(mediaFiles(platform)).toEqual([]);
    expect(mediaIndexRows(platform)).toBe(0);
  }, 60_000);

  it('does not keep a download the server answered just before the conversation was taken', async () => {
    const { t, platform, core, mediaId, handOver } = await brunoSeesAPhoto();
    // The server has checked Bruno may see it and starts answering; the hand-over reaches the
    // workstation before the bytes do.
    const store = t.server.mediaStore;
    const openReadStream = store.openReadStream.bind(store);
    let delayed = false;
    store.openReadStream = (sha256: string) => {
      const real = openReadStream(sha256);
      if (delayed) return real;
      delayed = true;
      const late = new PassThrough();
      void handOver(t).then(() => real.pipe(late));
      return late as unknown as fs.ReadStream;
    };
    const answered = await dispatchIpc(core, 'getMedia', { mediaId });
    expect(delayed).toBe(true);
    expect(answered.ok).toBe(true);
    expect(mediaFiles(platform)).toEqual([]);
    await core.stop();
    expect(mediaIndexRows(platform)).toBe(0);
  }, 60_000);
});

/** A stored photo as a message's media. */
const photo = (id: number) => ({
  id,
  kind: 'image',
  mimeType: 'image/png',
  size: PNG.length,
  filename: null,
  state: 'stored' as const,
  scan: 'clean' as const,
  scanReason: null,
});

/** A cache of its own in a temp dir (removed afterwards), for agent 1. */
function cacheOnDisk(prefix: string, now: () => number = Date.now, capBytes?: number) {
  const temp = makeTempDir(prefix);
  cleanups.push(() => temp.remove());
  const secrets = new CacheSecrets(new SealedFiles(path.join(temp.dir, 'secrets'), new TestKeyring()));
  secrets.keepShare(crypto.randomBytes(32), Date.now() + 60_000, 1);
  return { dir: temp.dir, media: path.join(cacheDir(temp.dir), 'media'), open: () => openWorkstationCache(temp.dir, secrets, now, capBytes) };
}

/** A second name for a file, outside the media folder: its bytes stay readable after the cache unlinks the first. */
function keepInode(file: string, keep: string): Buffer {
  fs.linkSync(file, keep);
  return fs.readFileSync(keep);
}

describe('erased media files', () => {
  it('are overwritten in place before their name goes, evicted or forgotten alike', () => {
    let clock = 1_000;
    const disk = cacheOnDisk('sportello-media-overwrite-', () => clock, 250_000);
    const cache = disk.open();
    cleanups.push(() => cache.close());
    const media = disk.media;
    cache.inbox.storePage(
      { conversations: [conversationView(1)], messages: [1, 2, 3].map((id) => textMessageView(id, 1, `foto ${id}`, { media: photo(id) })) },
      1,
    );
    cache.media.put(1, 'image/jpeg', crypto.randomBytes(100_000));
    clock += 1;
    cache.media.put(2, 'image/jpeg', crypto.randomBytes(100_000));
    const kept = fs.readdirSync(media).map((name, index) => {
      const keep = path.join(disk.dir, `kept-${index}`);
      return { keep, before: keepInode(path.join(media, name), keep) };
    });
    expect(kept).toHaveLength(2);

    // Over the cap: the least recently used is evicted. Then the conversation leaves: the rest go.
    clock += 1;
    cache.media.put(3, 'image/jpeg', crypto.randomBytes(100_000));
    expect(fs.readdirSync(media)).toHaveLength(2);
    expect(cache.media.get(1)).toBeUndefined();
    cache.inbox.applyFeed([{ type: 'conversation_hidden', seq: 2, conversationId: 1 }], 2);
    expect(fs.readdirSync(media)).toEqual([]);
    for (const { keep, before } of kept) {
      const after = fs.readFileSync(keep);
      expect(after.length).toBe(before.length);
      // Random bytes now: not a byte run of the sealed file left (16 bytes would be a chance of 2^-128).
      for (let offset = 0; offset + 16 <= before.length; offset += 4096) expect(after.includes(before.subarray(offset, offset + 16))).toBe(false);
    }
  });
});

describe('the media cache after a crash', () => {
  it('erases at the next start the sealed files no cached message carries any more', () => {
    const disk = cacheOnDisk('sportello-media-');
    const first = disk.open();
    first.inbox.storePage(
      {
        conversations: [conversationView(1), conversationView(2)],
        messages: [textMessageView(10, 1, 'foto', { media: photo(5) }), textMessageView(11, 2, 'altra', { media: photo(6) })],
      },
      1,
    );
    first.media.put(5, 'image/png', PNG);
    first.media.put(6, 'image/png', PNG);
    // The app dies after conversation 1 left the database, before its file was erased.
    first.db.prepare('delete from messages where conversation_id = 1').run();
    first.db.prepare('delete from conversations where id = 1').run();
    first.close();
    const media = disk.media;
    expect(fs.readdirSync(media)).toHaveLength(2);

    const again = disk.open();
    cleanups.push(() => again.close());
    expect(fs.readdirSync(media)).toHaveLength(1);
    expect(again.media.get(5)).toBeUndefined();
    expect(Buffer.from(again.media.get(6)?.bytes ?? []).equals(PNG)).toBe(true);
  });
});
