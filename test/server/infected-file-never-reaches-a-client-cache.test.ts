/**
 * A customer's infected file is quarantined on the server and never reaches a workstation
 * (issue 13): the media fetcher downloads it, judges its bytes and scans it through a real clamd
 * (the EICAR test file, by the hash signature the test writes); the row says `infected`, the
 * `message` event tells the workstation so, the download is refused with `media_infected`, and
 * no file of the workstation holds the EICAR bytes. The file stays in the server's media store;
 * the quarantine is audited and counted, and clamd's signature name reaches no client. A clean
 * photo beside it opens as before. Over a listening server and a real core with its SQLCipher cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { EICAR, EICAR_SIGNATURE, startClamd } from '../helpers/clamd.js';
import type { RunningClamd } from '../helpers/clamd.js';
import { customer } from '../helpers/conversations.js';
import { coreBehindProxy } from '../helpers/core-behind-proxy.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
import { PNG } from '../helpers/file-samples.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';
import { eventually } from '../helpers/store-queries.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let clamd: RunningClamd;
beforeAll(async () => {
  clamd = await startClamd();
}, 150_000);
afterAll(async () => {
  await clamd?.stop();
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

describe('an infected file never reaches a client cache', () => {
  it('is quarantined on the server, refused to the workstation, and in none of its files', async () => {
    const { t, platform, core } = await coreBehindProxy(cleanups, { scanner: { socketPath: clamd.socketPath } });
    const events: Array<IpcEventPayload<'inbox'>> = [];
    core.onEvent((event, payload) => {
      if (event === 'inbox') events.push(payload as IpcEventPayload<'inbox'>);
    });
    await core.start();
    const { call, waitFor } = coreDriver(core);
    await pairAndEnroll(t, call, waitFor, 'bruno', 'agent');
    await conversationsWaitForAReply(t);

    const photo = t.sandbox.graph.addMedia(PNG, 'image/png');
    const eicar = t.sandbox.graph.addMedia(EICAR, 'text/plain');
    await t.customers.write(customer(t, 0), { type: 'image', image: { id: photo.id, mime_type: 'image/png', sha256: photo.sha256Base64 } });
    await t.customers.write(customer(t, 0), {
      type: 'document',
      document: { id: eicar.id, mime_type: 'text/plain', sha256: eicar.sha256Base64, filename: 'fattura.txt' },
    });
    const db = t.server.database.db;
    const judged = (graphId: string) =>
      eventually(async () => {
        const row = await db.selectFrom('media').selectAll().where('graph_media_id', '=', graphId).executeTakeFirst();
        return row?.state === 'stored' ? row : undefined;
      });
    const [clean, infected] = [await judged(photo.id), await judged(eicar.id)];
    expect([clean.scan_state, infected.scan_state, infected.scan_signature]).toEqual(['clean', 'infected', `${EICAR_SIGNATURE}.UNOFFICIAL`]);
    // Quarantined, not deleted: the server keeps it for its operators.
    expect(t.server.mediaStore.has(infected.sha256 ?? '')).toBe(true);

    // The workstation hears what became of it, by state alone.
    await eventually(() =>
      Promise.resolve(
        events.some((event) => event.type === 'message' && event.message.media?.id === infected.id && event.message.media.scan === 'infected') || undefined,
      ),
    );
    expect(JSON.stringify(events)).not.toContain(EICAR_SIGNATURE);
    const refused = await dispatchIpc(core, 'getMedia', { mediaId: infected.id });
    expect(refused).toMatchObject({ ok: false, code: 'media_infected' });
    const opened = (await call('getMedia', { mediaId: clean.id })) as { bytes: Uint8Array };
    expect(Buffer.from(opened.bytes).equals(PNG)).toBe(true);

    // Whatever the cache wrote, the infected bytes are in none of the workstation's files.
    await core.stop();
    const files = filesUnder(platform.userDataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(fs.readFileSync(file).includes(EICAR), file).toBe(false);

    // Audited by ids alone, and counted.
    const audited = await db.selectFrom('audit_log').select(['event', 'outcome', 'details_json']).where('event', 'like', 'safety.attachments.%').execute();
    expect(audited.map((row) => [row.event, row.outcome, JSON.parse(row.details_json) as unknown])).toEqual([
      ['safety.attachments.quarantined', 'refused', expect.objectContaining({ mediaId: infected.id })],
    ]);
    expect(audited[0]?.details_json).not.toContain(EICAR_SIGNATURE);
    const metrics = await (await fetch(`${t.server.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('sportello_safety_actions_total{rule="attachments",action="quarantined"} 1');
  }, 120_000);
});
