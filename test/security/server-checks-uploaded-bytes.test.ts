/**
 * The server checks an upload's bytes itself (`POST /v1/media`), with the same check as the
 * desktop client: whoever holds a session token cannot upload a program labelled as a PDF, a
 * script labelled as text, a PNG claimed to be a JPEG or a file over WhatsApp's size, and nothing
 * of a refused upload is stored (no row, no file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaUploaded } from '../../common/api/inbox.js';
import * as archive from '../helpers/archive-samples.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import * as sample from '../helpers/file-samples.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import type { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let anna: EnrolledAgent;
let device: TestDevice;
beforeAll(async () => {
  t = await startTestServer();
  device = await approvedDevice(t);
  anna = await enrolledAgent(t, device, 'anna');
});
afterAll(async () => {
  await t.close();
});

async function upload(
  query: string,
  contentType: string,
  body: Buffer,
): Promise<{ status: number; body: { error?: { code: string; message: string } } & Partial<MediaUploaded> }> {
  const response = await fetch(`${t.server.url}/v1/media?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${anna.session.accessToken}`, 'content-type': contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } & Partial<MediaUploaded> };
}

/** The media files on disk, leftovers in tmp/ included. */
function storedFiles(): string[] {
  const root = path.join(t.dataDir, 'media');
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const mediaRows = async () => t.server.database.db.selectFrom('media').selectAll().execute();

describe('the server checks uploaded bytes', () => {
  const refusals: ReadonlyArray<[string, string, string, () => Buffer, number, string]> = [
    [
      'a Windows program labelled application/pdf',
      'kind=document&filename=invoice.pdf',
      'application/pdf',
      () => sample.programs.windows(),
      415,
      'attachment_is_program',
    ],
    ['a Linux program labelled image/jpeg', 'kind=image&filename=photo.jpg', 'image/jpeg', () => sample.programs.linux(), 415, 'attachment_is_program'],
    [
      'a shell script labelled text/plain',
      'kind=document&filename=notes.txt',
      'text/plain; charset=utf-8',
      () => sample.shellScript(),
      415,
      'attachment_is_program',
    ],
    [
      'a Windows installer labelled as a Word document',
      'kind=document&filename=letter.doc',
      'application/msword',
      () => sample.compoundFile(sample.CLASS_IDS.installer, ['WordDocument']),
      415,
      'attachment_is_program',
    ],
    ['a PNG claimed as JPEG', 'kind=image&filename=photo.jpg', 'image/jpeg', () => sample.PNG, 415, 'attachment_content_mismatch'],
    [
      'a ZIP labelled as a Word document',
      'kind=document&filename=letter.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      () => sample.zip({ 'payload.js': 'WScript.Run("calc")' }),
      415,
      // The script inside is the graver reason, and the one the agent is told.
      'attachment_archive_contains_program',
    ],
    [
      'a ZIP of text labelled as a Word document',
      'kind=document&filename=letter.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      () => sample.zip({ 'readme.txt': 'hello' }),
      415,
      'attachment_content_mismatch',
    ],
    [
      'a Word document with a VBA project',
      'kind=document&filename=letter.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      () => archive.docx({ 'word/vbaProject.bin': archive.vbaProject() }),
      415,
      'attachment_has_macros',
    ],
    [
      'a Word document carrying a program',
      'kind=document&filename=letter.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      () => archive.docx({ 'word/embeddings/oleObject1.bin': archive.packagedObject() }),
      415,
      'attachment_archive_contains_program',
    ],
    ['a real PDF named as a program', 'kind=document&filename=invoice.pdf.exe', 'application/pdf', () => sample.pdf(), 415, 'attachment_type_not_allowed'],
    [
      'a program declared as one',
      'kind=document&filename=setup.exe',
      'application/x-msdownload',
      () => sample.programs.windows(),
      415,
      'attachment_type_not_allowed',
    ],
    ['a photo over 5 MB', 'kind=image&filename=big.jpg', 'image/jpeg', () => sample.jpeg(5 * 1024 * 1024 + 1), 413, 'attachment_too_large'],
    [
      'a static sticker over 100 KB',
      'kind=sticker&filename=sticker.webp',
      'image/webp',
      () => sample.webp({ size: 100 * 1024 + 1 }),
      413,
      'attachment_too_large',
    ],
  ];

  it.each(refusals)('refuses %s and stores nothing', async (_what, query, contentType, body, status, code) => {
    const before = await mediaRows();
    const refused = await upload(query, contentType, body());
    expect(refused).toMatchObject({ status, body: { error: { code } } });
    expect(refused.body.error?.message).not.toBe('');
    expect(await mediaRows()).toEqual(before);
    expect(storedFiles().filter((file) => !before.some((row) => row.sha256 !== null && file.endsWith(row.sha256)))).toEqual([]);
  });

  it('stores what is what it says, recording who uploaded it and its animation', async () => {
    const accepted: ReadonlyArray<[string, string, Buffer]> = [
      ['kind=image&filename=receipt.png', 'image/png', sample.PNG],
      ['kind=document&filename=invoice.pdf', 'application/pdf', sample.pdf()],
      ['kind=document&filename=note.txt', 'text/plain', sample.windows1252Text()],
      ['kind=document&filename=letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sample.ooxml('docx')],
      ['kind=audio&filename=voice.ogg', 'audio/ogg; codecs=opus', sample.ogg('opus')],
      ['kind=sticker&filename=wave.webp', 'image/webp', sample.webp({ animated: true, size: 300 * 1024 })],
    ];
    for (const [query, contentType, body] of accepted) {
      const stored = await upload(query, contentType, body);
      expect(stored, query).toMatchObject({ status: 201, body: { size: body.length } });
      const row = await t.server.database.db
        .selectFrom('media')
        .selectAll()
        .where('id', '=', stored.body.mediaId ?? 0)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ direction: 'outbound', state: 'stored', uploaded_by_agent_id: anna.agentId, sent_to_conversation_id: null });
      expect(row.animated).toBe(query.includes('wave.webp') ? 1 : 0);
      expect(fs.readFileSync(t.server.mediaStore.pathOf(row.sha256 ?? '')).equals(body)).toBe(true);
    }
  });

  it('checks a customer’s file before an agent forwards it, since nobody checked it on arrival', async () => {
    const written = await customerWrites(t, customer(t, 1), 'Ecco il modulo');
    const arrived = async (bytes: Buffer, mimeType: string, filename: string) => {
      const media = t.sandbox.graph.addMedia(bytes, mimeType);
      await t.customers.write(customer(t, 1), { type: 'document', document: { id: media.id, mime_type: mimeType, sha256: media.sha256Base64, filename } });
      return eventually(async () => {
        const row = await t.server.database.db.selectFrom('media').select(['id', 'state']).where('graph_media_id', '=', media.id).executeTakeFirst();
        return row?.state === 'stored' ? row.id : undefined;
      });
    };
    const forward = (mediaId: number) =>
      device.call<{ error?: { code: string }; message?: { media: { id: number } | null } }>(
        'POST',
        '/v1/messages',
        { idempotencyKey: `forward-${mediaId}-0001`, conversationId: written.conversationId, kind: 'media', mediaId },
        anna.session.accessToken,
      );

    const program = await arrived(sample.programs.windows(), 'application/pdf', 'modulo.pdf');
    const before = await mediaRows();
    expect(await forward(program)).toMatchObject({ status: 415, body: { error: { code: 'attachment_is_program' } } });
    expect(await mediaRows()).toEqual(before);
    expect(
      await t.server.database.db.selectFrom('messages').select('id').where('media_id', '=', program).where('direction', '=', 'outbound').execute(),
    ).toEqual([]);

    const form = await arrived(sample.pdf(), 'application/pdf', 'modulo.pdf');
    const forwarded = await forward(form);
    expect(forwarded.status).toBe(201);
    const copy = await t.server.database.db
      .selectFrom('media')
      .selectAll()
      .where('id', '=', forwarded.body.message?.media?.id ?? 0)
      .executeTakeFirstOrThrow();
    // A customer's media id is not ours to send: the copy is uploaded to Meta afresh.
    expect(copy).toMatchObject({
      direction: 'outbound',
      filename: 'modulo.pdf',
      sent_to_conversation_id: written.conversationId,
      uploaded_by_agent_id: anna.agentId,
    });
    await t.server.dispatcher.settled();
    const uploaded = await t.server.database.db.selectFrom('media').select('graph_media_id').where('id', '=', copy.id).executeTakeFirstOrThrow();
    expect(uploaded.graph_media_id).not.toBeNull();
    expect(uploaded.graph_media_id).not.toBe(
      (await t.server.database.db.selectFrom('media').select('graph_media_id').where('id', '=', form).executeTakeFirstOrThrow()).graph_media_id,
    );
  });
});
