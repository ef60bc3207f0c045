/**
 * pickAttachment, the real core against a real server: the core checks a picked file with the
 * shared byte check (common/attachments/attachment-check.ts) before it uploads anything, with the
 * codes the renderer shows; a file that passes is uploaded as the agent's own and sent from the
 * compose box.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../common/ipc/app-state.js';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import * as sample from '../helpers/file-samples.js';
import { makeTestPlatform } from '../helpers/node-platform.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('pickAttachment', () => {
  it('refuses a disguised file before uploading it, and uploads and sends one that is what it says', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    if (t.certificate === undefined) throw new Error('expected TLS');
    const platform = makeTestPlatform();
    cleanups.push(() => platform.remove());
    platform.writeProvisioning({ serverUrl: t.server.url, spkiSha256: [t.certificate.spkiSha256] });
    const core = new ClientCore(platform, { pairingPollMs: 50 });
    cleanups.push(() => core.stop());
    await core.start();
    const call = async (name: string, request: unknown = {}) => {
      const result = await dispatchIpc(core, name, request);
      if (!result.ok) throw new Error(`${name}: ${result.code} ${result.message}`);
      return result.value;
    };
    const waitFor = (screen: AppState['screen']) => eventually(() => Promise.resolve(core.state.screen === screen ? core.state : undefined), 10_000, screen);
    const { agentId } = await pairAndEnroll(t, call, waitFor, 'anna', 'agent');
    const { conversationId } = await customerWrites(t, customer(t, 0), 'Mi manda la fattura?');
    const pick = (name: string, bytes: Buffer) => {
      platform.desktop.nextFile = { name, bytes };
      return dispatchIpc(core, 'pickAttachment', { conversationId });
    };

    const disguised: ReadonlyArray<[string, Buffer, string]> = [
      ['fattura.pdf', sample.programs.windows(), 'attachment_is_program'],
      ['note.txt', sample.shellScript(), 'attachment_is_program'],
      ['foto.jpg', sample.PNG, 'attachment_content_mismatch'],
      ['setup.exe', sample.programs.windows(), 'attachment_type_not_allowed'],
      ['grande.jpg', sample.jpeg(5 * 1024 * 1024 + 1), 'attachment_too_large'],
    ];
    for (const [name, bytes, code] of disguised) expect(await pick(name, bytes), name).toMatchObject({ ok: false, code });
    expect(await t.server.database.db.selectFrom('media').select('id').execute()).toEqual([]);

    const picked = await pick('fattura.pdf', sample.pdf());
    expect(picked).toMatchObject({ ok: true, value: { filename: 'fattura.pdf', kind: 'document', mimeType: 'application/pdf' } });
    const attachmentId = picked.ok ? (picked.value as { attachmentId: number }).attachmentId : 0;
    const row = await t.server.database.db.selectFrom('media').selectAll().where('id', '=', attachmentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ uploaded_by_agent_id: agentId, sent_to_conversation_id: null, mime_type: 'application/pdf' });

    const sent = (await call('sendMessage', { conversationId, clientMessageId: crypto.randomUUID(), kind: 'media', attachmentId, caption: 'Ecco' })) as {
      state: string;
    };
    expect(sent.state).toBe('sent');
    const claimed = await t.server.database.db.selectFrom('media').select('sent_to_conversation_id').where('id', '=', attachmentId).executeTakeFirstOrThrow();
    expect(claimed.sent_to_conversation_id).toBe(conversationId);
  });
});
