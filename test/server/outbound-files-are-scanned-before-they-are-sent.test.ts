/**
 * An agent's upload is scanned before it is stored or sent (issue 13): with a real clamd, the
 * EICAR file is refused `attachment_infected` (422), nothing is stored, nothing reaches the
 * sandbox's Graph, and the refusal is audited (by ids) and counted; a clean file is stored
 * `clean` and goes out. With no scanner and the policy as shipped
 * (`refuseFilesWithoutCleanScan` on), an upload is refused `attachment_unscanned`; with that
 * setting off it is stored `unscanned` and goes out.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MediaUploaded, SendAccepted } from '../../common/api/inbox.js';
import { EICAR, EICAR_SIGNATURE, startClamd } from '../helpers/clamd.js';
import type { RunningClamd } from '../helpers/clamd.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer, TestServerOptions } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
let clamd: RunningClamd;
beforeAll(async () => {
  clamd = await startClamd();
}, 150_000);
afterAll(async () => {
  await clamd?.stop();
});

const NOTE = Buffer.from('Gentile cliente, in allegato le istruzioni per il reso.\n', 'utf8');
let sequence = 0;

async function deskWithAConversation(options: TestServerOptions) {
  const server = (t = await startTestServer(options));
  const device = await approvedDevice(server);
  const anna = await enrolledAgent(server, device, 'anna');
  const written = await customerWrites(server, customer(server, 0), 'Come faccio il reso?');
  const send = (body: Record<string, unknown>) =>
    device.call<SendAccepted & { error?: { code: string } }>(
      'POST',
      '/v1/messages',
      { idempotencyKey: `anna-send-${(sequence += 1).toString().padStart(4, '0')}`, conversationId: written.conversationId, ...body },
      anna.session.accessToken,
    );
  expect((await send({ kind: 'text', text: 'Le mando le istruzioni.' })).status).toBe(201);
  await eventually(() => Promise.resolve(server.sandbox.graph.accepted.length === 1 || undefined));
  return { server, anna, send };
}

async function upload(server: TestServer, who: EnrolledAgent, bytes: Buffer): Promise<{ status: number; body: MediaUploaded & { error?: { code: string } } }> {
  const response = await fetch(`${server.server.url}/v1/media?kind=document&filename=istruzioni.txt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.session.accessToken}`, 'content-type': 'text/plain' },
    body: bytes,
  });
  return { status: response.status, body: (await response.json()) as MediaUploaded & { error?: { code: string } } };
}

describe('outbound files are scanned before they are sent', () => {
  it('refuses an infected upload, stores and sends nothing, audits it; a clean one goes out', async () => {
    const { server, anna, send } = await deskWithAConversation({ scanner: { socketPath: clamd.socketPath }, safetyDefaults: true });
    const db = server.server.database.db;
    const graphCalls = server.sandbox.graph.callCount;

    const infected = await upload(server, anna, EICAR);
    expect([infected.status, infected.body.error?.code]).toEqual([422, 'attachment_infected']);
    expect(JSON.stringify(infected.body)).not.toContain(EICAR_SIGNATURE);
    expect(await db.selectFrom('media').select('id').where('direction', '=', 'outbound').execute()).toEqual([]);
    expect(server.sandbox.graph.callCount).toBe(graphCalls);
    expect(server.sandbox.graph.accepted).toHaveLength(1);
    const audited = await db
      .selectFrom('audit_log')
      .select(['event', 'outcome', 'agent_id', 'details_json'])
      .where('event', 'like', 'safety.attachments.%')
      .execute();
    expect(audited).toEqual([{ event: 'safety.attachments.refused', outcome: 'refused', agent_id: anna.agentId, details_json: expect.any(String) }]);
    expect(audited[0]?.details_json).not.toContain(EICAR_SIGNATURE);
    const metrics = await (await fetch(`${server.server.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('sportello_safety_actions_total{rule="attachments",action="refused"} 1');

    const clean = await upload(server, anna, NOTE);
    expect(clean.status).toBe(201);
    const row = await db.selectFrom('media').select(['scan_state', 'scan_signature']).where('id', '=', clean.body.mediaId).executeTakeFirstOrThrow();
    expect(row).toEqual({ scan_state: 'clean', scan_signature: null });
    expect((await send({ kind: 'media', mediaId: clean.body.mediaId })).status).toBe(201);
    await eventually(() => Promise.resolve(server.sandbox.graph.accepted.length === 2 || undefined));
  }, 60_000);

  it('without a scanner, refuses uploads while the policy wants a clean scan, and sends them unscanned when it does not', async () => {
    const shipped = await deskWithAConversation({ safetyDefaults: true });
    const graphCalls = shipped.server.sandbox.graph.callCount;
    const refused = await upload(shipped.server, shipped.anna, NOTE);
    expect([refused.status, refused.body.error?.code]).toEqual([422, 'attachment_unscanned']);
    expect(await shipped.server.server.database.db.selectFrom('media').select('id').where('direction', '=', 'outbound').execute()).toEqual([]);
    expect(shipped.server.sandbox.graph.callCount).toBe(graphCalls);
    await t?.close();

    // The test harness's own choice without clamd: the setting off (docs/safety-rules.md).
    const open = await deskWithAConversation({});
    const stored = await upload(open.server, open.anna, NOTE);
    expect(stored.status).toBe(201);
    const row = await open.server.server.database.db
      .selectFrom('media')
      .select(['scan_state', 'scan_reason'])
      .where('id', '=', stored.body.mediaId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ scan_state: 'unscanned', scan_reason: 'scanner_not_configured' });
    expect((await open.send({ kind: 'media', mediaId: stored.body.mediaId })).status).toBe(201);
    await eventually(() => Promise.resolve(open.server.sandbox.graph.accepted.length === 2 || undefined));
  }, 60_000);
});
