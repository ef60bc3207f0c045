/**
 * Signatures come after files do (issue 13, `attachments.rescanEveryHours`): a customer's file
 * clean today is found infected once clamd knows it. The rescan is a durable job of the server's
 * runner: it marks every clean file due, tells clamd to RELOAD, and judges each again. Here a real
 * clamd passes a file, the test then writes a signature that names its bytes, the rescan's job
 * comes due (as it would after its hours), and the file is quarantined: its row says `infected`,
 * the `message` event reaches the workstation, whose encrypted cache drops the copy it kept,
 * and the quarantine is audited and counted. How the rescan knows clamd has loaded the new
 * signatures is the test's: it asks clamd itself (clamd's protocol does not say).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { cacheDir } from '../../main/cache/workstation-cache.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { MEDIA_RESCAN } from '../../server/jobs/media-rescan.js';
import { startClamd } from '../helpers/clamd.js';
import type { RunningClamd } from '../helpers/clamd.js';
import { customer } from '../helpers/conversations.js';
import { coreBehindProxy } from '../helpers/core-behind-proxy.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';
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

/** Plain text no signature names yet. */
const LATER = Buffer.from('Elenco ordini di novembre. Riferimento interno: sportello-rescan-marker-7c1f.\n', 'utf8');
const LATER_SIGNATURE = 'Sportello.Test.FoundLater';

describe('the rescan quarantines a file found infected later', () => {
  it('reloads clamd, finds the file, sets it apart, tells the workstation and empties its cache of it', async () => {
    const scanner = clamd.client();
    const { t, platform, core } = await coreBehindProxy(cleanups, {
      scanner: { socketPath: clamd.socketPath },
      // clamd loads new signatures beside the old ones: the rescan waits until it scans with them.
      scanning: {
        reloaded: async () => {
          await eventually(async () => ((await scanner.scan(LATER)).infected ? true : undefined), 60_000, 'clamd reloaded');
        },
      },
    });
    const events: Array<IpcEventPayload<'inbox'>> = [];
    core.onEvent((event, payload) => {
      if (event === 'inbox') events.push(payload as IpcEventPayload<'inbox'>);
    });
    await core.start();
    const { call, waitFor } = coreDriver(core);
    await pairAndEnroll(t, call, waitFor, 'bruno', 'agent');
    await conversationsWaitForAReply(t);

    const sent = t.sandbox.graph.addMedia(LATER, 'text/plain');
    await t.customers.write(customer(t, 0), {
      type: 'document',
      document: { id: sent.id, mime_type: 'text/plain', sha256: sent.sha256Base64, filename: 'ordini.txt' },
    });
    const db = t.server.database.db;
    const row = () => db.selectFrom('media').selectAll().where('graph_media_id', '=', sent.id).executeTakeFirst();
    const clean = await eventually(async () => {
      const found = await row();
      return found?.scan_state === 'clean' ? found : undefined;
    });
    // The workstation opens it and keeps a sealed copy.
    await eventually(() => Promise.resolve(events.some((event) => event.type === 'message' && event.message.media?.scan === 'clean') || undefined));
    const opened = (await call('getMedia', { mediaId: clean.id })) as { bytes: Uint8Array };
    expect(Buffer.from(opened.bytes).equals(LATER)).toBe(true);
    const mediaDir = path.join(cacheDir(platform.userDataDir), 'media');
    expect(fs.readdirSync(mediaDir)).toHaveLength(1);

    // freshclam brings a signature naming these bytes; the rescan's hours have passed.
    fs.writeFileSync(path.join(clamd.dir, 'found-later.ndb'), `${LATER_SIGNATURE}:0:*:${Buffer.from('sportello-rescan-marker-7c1f').toString('hex')}\n`);
    const waiting = await db.selectFrom('jobs').select(['id', 'due_at']).where('kind', '=', MEDIA_RESCAN).where('state', '=', 'waiting').execute();
    expect(waiting).toHaveLength(1);
    await t.server.committer.submit((trx) =>
      trx
        .updateTable('jobs')
        .set({ due_at: Date.now() })
        .where('id', '=', waiting[0]?.id ?? 0)
        .execute(),
    );
    t.server.jobs.committed();

    const quarantined = await eventually(async () => {
      const found = await row();
      return found?.scan_state === 'infected' ? found : undefined;
    }, 60_000);
    expect(quarantined.scan_signature).toBe(`${LATER_SIGNATURE}.UNOFFICIAL`);
    expect(quarantined.rescan_due).toBe(0);
    // The next rescan is waiting already, the policy's hours on.
    const next = await db.selectFrom('jobs').select('due_at').where('kind', '=', MEDIA_RESCAN).where('state', '=', 'waiting').execute();
    expect(next).toHaveLength(1);
    expect(Number(next[0]?.due_at)).toBeGreaterThan(Date.now() + 23 * 60 * 60 * 1000);

    await eventually(() =>
      Promise.resolve(
        events.some((event) => event.type === 'message' && event.message.media?.id === clean.id && event.message.media.scan === 'infected') || undefined,
      ),
    );
    await eventually(() => Promise.resolve(fs.readdirSync(mediaDir).length === 0 || undefined), 10_000, 'the sealed copy erased');
    expect(await dispatchIpc(core, 'getMedia', { mediaId: clean.id })).toMatchObject({ ok: false, code: 'media_infected' });
    expect(JSON.stringify(events)).not.toContain(LATER_SIGNATURE);

    const audited = await db.selectFrom('audit_log').select(['event', 'details_json']).where('event', '=', 'safety.attachments.quarantined').execute();
    expect(audited.map((entry) => JSON.parse(entry.details_json) as unknown)).toEqual([expect.objectContaining({ mediaId: clean.id })]);
    const metrics = await (await fetch(`${t.server.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('sportello_safety_actions_total{rule="attachments",action="quarantined"} 1');
  }, 150_000);
});
