/**
 * The cache against a real server with the sandbox, through a network that fails on purpose:
 * connections cut in the middle of a customer burst lose and duplicate nothing; a client killed
 * (-9) while its send is on the wire sends that message exactly once after it restarts; a send
 * refused by the server comes back with its reason and its text.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../common/ipc/app-state.js';
import type { OutboxEntry } from '../../common/ipc/contract.js';
import { openWorkstationCache } from '../helpers/cache-store.js';
import { CacheSecrets } from '../../main/cache/cache-secrets.js';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { customer } from '../helpers/conversations.js';
import { CORE_AGENT_PASSWORD, pairAndEnroll } from '../helpers/core-enrollment.js';
import { CoreProcess, newInstall } from '../helpers/core-process.js';
import type { Install } from '../helpers/core-process.js';
import { totpNow } from '../helpers/identity-setup.js';
import { makeTestPlatform } from '../helpers/node-platform.js';
import type { TestPlatform } from '../helpers/node-platform.js';
import { eventually } from '../helpers/store-queries.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import path from 'node:path';

let server: TestServer | undefined;
let proxy: TcpProxy | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

async function serverBehindProxy(): Promise<{ t: TestServer; proxy: TcpProxy; provisioning: { serverUrl: string; spkiSha256: string[] } }> {
  server = await startTestServer({ tls: true, customers: 6, statusDelaysMs: { sent: 10, delivered: 20 } });
  if (server.certificate === undefined) throw new Error('expected TLS');
  proxy = await TcpProxy.start(Number(new URL(server.server.url).port));
  return { t: server, proxy, provisioning: { serverUrl: `https://127.0.0.1:${proxy.port}`, spkiSha256: [server.certificate.spkiSha256] } };
}

describe('the cache in step with the server', () => {
  it('loses and duplicates nothing when the connection is cut in the middle of a customer burst', async () => {
    const { t, proxy: network, provisioning } = await serverBehindProxy();
    const platform: TestPlatform = makeTestPlatform();
    cleanups.push(() => platform.remove());
    platform.writeProvisioning(provisioning);
    const core = new ClientCore(platform, { pairingPollMs: 100, reconnectBackoffMs: 50, housekeepingMs: 200 });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await core.stop();
    });
    const states: AppState[] = [];
    let online = 0;
    /** The newest feed position the core has applied to its cache (it emits each event after applying it). */
    let appliedSeq = 0;
    core.onEvent((event, payload) => {
      if (event === 'state') states.push(payload as AppState);
      if (event === 'connection' && (payload as { status: string }).status === 'online') online += 1;
      if (event === 'inbox') {
        const position = payload as { seq?: number; lastSeq?: number };
        appliedSeq = Math.max(appliedSeq, position.seq ?? 0, position.lastSeq ?? 0);
      }
    });
    const waitFor = (screen: AppState['screen']) => eventually(() => Promise.resolve(core.state.screen === screen ? core.state : undefined), 10_000, screen);
    await core.start();
    const call = async (name: string, request: unknown = {}) => {
      const result = await dispatchIpc(core, name, request);
      if (!result.ok) throw new Error(`${name}: ${result.code} ${result.message}`);
      return result.value;
    };
    await pairAndEnroll(t, call, waitFor, 'burst.watcher');
    await eventually(() => Promise.resolve(online > 0 ? true : undefined), 10_000, 'the event socket');

    // Six customers write 60 messages; the network drops after the 20th, and again after the 40th
    // once the client is back (so both drops cut a live socket), while the customers keep writing.
    for (let i = 0; i < 60; i += 1) {
      if (i === 20) network.cut();
      if (i === 40) {
        await eventually(() => Promise.resolve(online >= 2 ? true : undefined), 10_000, 'the first reconnect');
        network.cut();
      }
      await t.customers.write(customer(t, i % 6), { type: 'text', text: { body: `burst message ${i}` } });
    }
    // On PostgreSQL the last events are numbered by the pass after their commit.
    await t.server.database.feedSequencer.stamp();
    const lastSeq = Number(
      (
        await t.server.database.db
          .selectFrom('events')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .executeTakeFirstOrThrow()
      ).seq,
    );
    await eventually(() => Promise.resolve(online >= 3 ? true : undefined), 10_000, 'the second reconnect');

    // Once the core has applied the feed up to the last event, look inside the cache itself.
    const inbound = await t.server.database.db.selectFrom('messages').select(['id', 'status']).where('direction', '=', 'inbound').execute();
    expect(inbound).toHaveLength(60);
    await eventually(() => Promise.resolve(appliedSeq >= lastSeq ? true : undefined), 10_000, `the cache to apply the feed up to ${lastSeq}`);
    await core.stop();
    stopped = true;
    const secrets = new CacheSecrets(new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets));
    const cache = openWorkstationCache(platform.userDataDir, secrets, Date.now);
    try {
      const cached = cache.db
        .prepare<[], { id: number }>('select id from messages order by id')
        .all()
        .map((row) => row.id);
      expect(cached).toEqual(inbound.map((row) => row.id).sort((a, b) => a - b));
      expect(cache.inbox.lastSeq).toBe(lastSeq);
      const texts = cache.db
        .prepare<[], { search_text: string }>('select search_text from messages')
        .all()
        .map((row) => row.search_text);
      expect(new Set(texts).size).toBe(60);
    } finally {
      cache.close();
    }
  });

  it('sends a message exactly once when the client is killed while its send is on the wire', async () => {
    const { t, proxy: network, provisioning } = await serverBehindProxy();
    const install: Install = newInstall();
    cleanups.push(() => install.remove());
    const first = CoreProcess.start(install);
    cleanups.push(() => first.kill());
    makeTestPlatform({
      install: { dir: install.dir, rawMachineId: install.rawMachineId, keyringKey: Buffer.from(install.keyringKey, 'hex') },
    }).writeProvisioning(provisioning);
    // The provisioning file was written after the first start read it: start again with it in place.
    await first.kill();
    const core = CoreProcess.start(install);
    cleanups.push(() => core.kill());
    const { secret } = await pairAndEnroll(
      t,
      (name, request) => core.value(name, request),
      (screen) => core.screen(screen),
      'once.only',
    );
    await core.screen('inbox');
    // The feed is live and the first conversations loaded (the core tells the renderer to reload):
    // no request of the core's own is still on the wire when the answers are held below.
    await eventually(
      () => Promise.resolve(core.events.some(({ event, payload }) => event === 'inbox' && (payload as { type: string }).type === 'resync') || undefined),
      10_000,
      'the first load',
    );

    await t.customers.write(customer(t, 0), { type: 'text', text: { body: 'Is my refund on its way?' } });
    const conversation = await eventually(() => t.server.database.db.selectFrom('conversations').select('id').executeTakeFirst(), 5000, 'the conversation');
    const clientMessageId = crypto.randomUUID();
    const text = `Yes, it left today (${clientMessageId.slice(0, 8)})`;

    // The request reaches the server (over a connection already open: a new one could not even
    // finish its TLS handshake); its answer never reaches the client, which is then killed.
    await core.value('markRead', { conversationId: conversation.id });
    network.holdAnswers(true);
    void core.call('sendMessage', { conversationId: conversation.id, clientMessageId, kind: 'text', text });
    await eventually(
      () => t.server.database.db.selectFrom('messages').select('id').where('idempotency_key', '=', clientMessageId).executeTakeFirst(),
      10_000,
      'the send at the server',
    );
    await core.kill();
    network.holdAnswers(false);
    network.cut();

    // Restarted on the same install: sign in again, and the outbox finishes the send with the same key.
    const restarted = CoreProcess.start(install);
    cleanups.push(() => restarted.kill());
    await restarted.screen('signed_out');
    await restarted.value('login', {
      username: 'once.only',
      password: CORE_AGENT_PASSWORD,
      secondFactor: { kind: 'totp', code: await totpNow(secret, Date.now() + 30_000) },
    });
    await restarted.screen('inbox');
    const outbox = await eventually(
      async () => {
        const result = await restarted.value<{ entries: OutboxEntry[] }>('listOutbox', { conversationId: conversation.id });
        return result.entries.length === 0 ? result : undefined;
      },
      10_000,
      'the outbox to empty',
    );
    expect(outbox.entries).toEqual([]);
    const atMeta = (marker: string) => t.sandbox.graph.accepted.filter((message) => JSON.stringify(message.body).includes(marker));
    await eventually(() => Promise.resolve(atMeta(clientMessageId.slice(0, 8)).length > 0 ? true : undefined), 10_000, 'Meta to have it');
    // A later message in the same conversation: the server sends a conversation's messages in
    // order, so once Meta has the later one, a second send of the first would already be there.
    const laterId = crypto.randomUUID();
    await restarted.value('sendMessage', {
      conversationId: conversation.id,
      clientMessageId: laterId,
      kind: 'text',
      text: `Anything else? (${laterId.slice(0, 8)})`,
    });
    await eventually(() => Promise.resolve(atMeta(laterId.slice(0, 8)).length > 0 ? true : undefined), 10_000, 'Meta to have the later message');
    expect(atMeta(clientMessageId.slice(0, 8))).toHaveLength(1);
    expect(await t.server.database.db.selectFrom('messages').select('id').where('idempotency_key', '=', clientMessageId).execute()).toHaveLength(1);
  });

  it('gives a refused send back to the agent with the reason and the text intact', async () => {
    const { t, provisioning } = await serverBehindProxy();
    const install = newInstall();
    cleanups.push(() => install.remove());
    makeTestPlatform({
      install: { dir: install.dir, rawMachineId: install.rawMachineId, keyringKey: Buffer.from(install.keyringKey, 'hex') },
    }).writeProvisioning(provisioning);
    const core = CoreProcess.start(install);
    cleanups.push(() => core.kill());
    await pairAndEnroll(
      t,
      (name, request) => core.value(name, request),
      (screen) => core.screen(screen),
      'late.reply',
    );
    await core.screen('inbox');
    await t.customers.write(customer(t, 1), { type: 'text', text: { body: 'hello?' } });
    const conversation = await eventually(() => t.server.database.db.selectFrom('conversations').select('id').executeTakeFirst(), 5000, 'the conversation');
    await t.server.database.db
      .updateTable('conversations')
      .set({ last_inbound_at: Date.now() - 25 * 60 * 60 * 1000 })
      .where('id', '=', conversation.id)
      .execute();

    const entry = await core.value<OutboxEntry>('sendMessage', {
      conversationId: conversation.id,
      clientMessageId: crypto.randomUUID(),
      kind: 'text',
      text: 'Sorry for the wait, here is your answer',
    });
    expect(entry).toMatchObject({ state: 'failed', error: { code: 'template_required' }, compose: { text: 'Sorry for the wait, here is your answer' } });
    const listed = await core.value<{ entries: OutboxEntry[] }>('listOutbox', { conversationId: conversation.id });
    expect(listed.entries.map((item) => item.state)).toEqual(['failed']);
    await core.value('discardOutbox', { clientMessageId: entry.clientMessageId });
    expect((await core.value<{ entries: OutboxEntry[] }>('listOutbox', { conversationId: conversation.id })).entries).toEqual([]);
  });
});
