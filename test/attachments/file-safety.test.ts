/**
 * The safety rule for every file, in both directions (common/attachments/file-safety.ts, issue 13
 * "Attachments"), on real files built here: programs, installers, disk images, shortcuts and
 * macro documents are refused by name and by bytes, also inside ZIPs and Office files nested
 * within the bound; archives that cannot be opened are refused unless the policy defers them to
 * the scanner; ZIP bombs run out of their budget; a claimed type must be what the bytes are.
 */
import { describe, expect, it } from 'vitest';
import { checkAttachment } from '../../common/attachments/attachment-check.js';
import type { FileSafetyPolicy } from '../../common/attachments/file-safety.js';
import { checkFileSafety } from '../../common/attachments/file-safety.js';
import * as archive from '../helpers/archive-samples.js';
import * as sample from '../helpers/file-samples.js';

type File = { filename?: string | null; mimeType?: string | null; bytes: Uint8Array };

async function refusal(file: File, policy?: FileSafetyPolicy): Promise<{ code?: string; details?: Record<string, unknown> } | undefined> {
  return checkFileSafety(file, policy).then(
    () => undefined,
    (error: unknown) => error as { code?: string; details?: Record<string, unknown> },
  );
}

const ALLOW_UNINSPECTABLE: FileSafetyPolicy = { allowUninspectableArchives: true };
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('the file safety rule', () => {
  it.each<[string, File]>([
    ['a photo', { filename: 'foto.jpg', mimeType: 'image/jpeg', bytes: sample.jpeg() }],
    ['a voice note', { filename: null, mimeType: 'audio/ogg; codecs=opus', bytes: sample.ogg('opus') }],
    ['a PDF', { filename: 'fattura.pdf', mimeType: 'application/pdf', bytes: sample.pdf() }],
    ['a Word document as Word writes it', { filename: 'lettera.docx', mimeType: DOCX, bytes: archive.docx() }],
    ['an old Word document', { filename: 'lettera.doc', mimeType: 'application/msword', bytes: sample.compoundFile(sample.CLASS_IDS.word, ['WordDocument']) }],
    // The detector names XML, but a .txt is judged by its characters.
    ['a text file holding XML', { filename: 'export.txt', mimeType: 'text/plain', bytes: Buffer.from('<?xml version="1.0"?><ordini/>') }],
    ['a contact card', { filename: 'mario.vcf', mimeType: 'text/vcard', bytes: Buffer.from('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mario Rossi\r\nEND:VCARD\r\n') }],
    ['a CSV', { filename: 'ordini.csv', mimeType: 'text/csv', bytes: Buffer.from('ordine;importo\r\n1;10,00\r\n') }],
    [
      'a ZIP of documents and photos, one folder deep',
      {
        filename: 'documenti.zip',
        mimeType: 'application/zip',
        bytes: archive.zipOf({
          'scansioni/': new Uint8Array(),
          'scansioni/fattura.pdf': sample.pdf(),
          'foto.jpg': sample.jpeg(),
          'contratto.docx': archive.docx(),
        }),
      },
    ],
    ['ZIPs nested within the bound', { filename: 'archivio.zip', mimeType: 'application/zip', bytes: archive.nested(5, { 'fattura.pdf': sample.pdf() }) }],
    ['a Word document sent as a ZIP', { filename: 'lettera.zip', mimeType: 'application/zip', bytes: archive.docx() }],
    ['a file of a type nobody can judge', { filename: 'disegno.dwg', mimeType: 'application/acad', bytes: Buffer.from('AC1032\u0000\u0000\u0000', 'latin1') }],
  ])('lets %s through', async (_what, file) => {
    await expect(checkFileSafety(file)).resolves.toMatchObject({ uninspected: [] });
  });

  it.each<[string, File, string]>([
    ['a Windows program', { filename: 'setup.exe', bytes: sample.programs.windows() }, 'attachment_is_program'],
    ['a JavaScript file (Windows runs it)', { filename: 'fattura.pdf.js', bytes: Buffer.from('WScript.Shell') }, 'attachment_is_program'],
    [
      'a Windows installer by its name',
      { filename: 'setup.msi', bytes: sample.compoundFile(sample.CLASS_IDS.word, ['WordDocument']) },
      'attachment_is_program',
    ],
    ['a Windows installer by its bytes', { filename: 'documento.doc', bytes: sample.compoundFile(sample.CLASS_IDS.installer, ['x']) }, 'attachment_is_program'],
    ['an ISO image', { filename: 'driver.iso', bytes: archive.iso() }, 'attachment_is_disk_image'],
    ['an ISO image named as a PDF', { filename: 'fattura.pdf', bytes: archive.iso() }, 'attachment_is_disk_image'],
    ['a DMG named as a document', { filename: 'documento.doc', bytes: archive.dmg() }, 'attachment_is_disk_image'],
    ['a VHD with no name', { filename: null, bytes: archive.vhd() }, 'attachment_is_disk_image'],
    ['a Windows shortcut named as a photo', { filename: 'foto.jpg', bytes: archive.lnk() }, 'attachment_is_shortcut'],
    ['an Internet shortcut named as text', { filename: 'link.txt', bytes: archive.internetShortcut() }, 'attachment_is_shortcut'],
    ['a .url file', { filename: 'banca.url', bytes: Buffer.from('hello') }, 'attachment_is_shortcut'],
    ['a .docm', { filename: 'lettera.docm', bytes: sample.ooxml('docm') }, 'attachment_has_macros'],
    [
      'a .docx with a VBA project',
      { filename: 'lettera.docx', mimeType: DOCX, bytes: archive.docx({ 'word/vbaProject.bin': archive.vbaProject() }) },
      'attachment_has_macros',
    ],
    [
      'a .docx whose content types name a VBA project',
      {
        filename: 'lettera.docx',
        bytes: archive.docx({}, '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'),
      },
      'attachment_has_macros',
    ],
    [
      'an old Excel workbook with macros',
      { filename: 'conti.xls', bytes: sample.compoundFile('00020820-0000-0000-C000-000000000046', ['Workbook', '_VBA_PROJECT_CUR', 'VBA']) },
      'attachment_has_macros',
    ],
    ['a RAR archive', { filename: 'foto.rar', bytes: archive.rar() }, 'attachment_archive_uninspectable'],
    ['a 7z archive named as a ZIP', { filename: 'foto.zip', bytes: archive.sevenZip() }, 'attachment_archive_uninspectable'],
    [
      'an encrypted ZIP',
      { filename: 'foto.zip', bytes: archive.markEncrypted(archive.zipOf({ 'foto.jpg': sample.jpeg() })) },
      'attachment_archive_uninspectable',
    ],
    ['a PDF named as a photo', { filename: 'foto.jpg', mimeType: 'image/jpeg', bytes: sample.pdf() }, 'attachment_content_mismatch'],
    ['a ZIP declared as a PDF', { filename: null, mimeType: 'application/pdf', bytes: archive.zipOf({ 'a.txt': 'x' }) }, 'attachment_content_mismatch'],
    ['binary bytes named as CSV', { filename: 'dati.csv', bytes: Buffer.from([0, 1, 2, 3]) }, 'attachment_content_mismatch'],
    [
      'an Excel workbook named as a Word document',
      { filename: 'lettera.doc', bytes: sample.compoundFile('00020820-0000-0000-C000-000000000046', ['Workbook']) },
      'attachment_content_mismatch',
    ],
  ])('refuses %s', async (_what, file, code) => {
    expect((await refusal(file))?.code).toBe(code);
  });

  it('looks inside archives and Office files and names the entry it found', async () => {
    const cases: Array<[Buffer, string, string]> = [
      [archive.zipOf({ 'fattura.pdf': sample.pdf(), 'fattura.pdf.exe': sample.pdf() }), 'fattura.pdf.exe', 'attachment_is_program'],
      [archive.zipOf({ 'foto.jpg': sample.programs.windows() }), 'foto.jpg', 'attachment_is_program'],
      [archive.zipOf({ 'run.sh': sample.shellScript() }, 0), 'run.sh', 'attachment_is_program'],
      [archive.zipOf({ 'lettera.docm': sample.ooxml('docm') }), 'lettera.docm', 'attachment_has_macros'],
      [archive.zipOf({ 'lettera.docx': archive.docx({ 'word/vbaProject.bin': archive.vbaProject() }) }), 'lettera.docx', 'attachment_has_macros'],
      [archive.zipOf({ 'disco.img': archive.iso() }), 'disco.img', 'attachment_is_disk_image'],
      [archive.zipOf({ 'fattura.pdf': archive.lnk() }), 'fattura.pdf', 'attachment_is_shortcut'],
      [archive.nested(3, { 'x.bin': sample.programs.linux() }), 'level-1.zip › level-2.zip › x.bin', 'attachment_is_program'],
      [archive.docx({ 'word/embeddings/oleObject1.bin': archive.packagedObject() }), 'word/embeddings/oleObject1.bin', 'attachment_is_program'],
      [archive.docx({ 'word/media/setup.exe': sample.programs.windows() }), 'word/media/setup.exe', 'attachment_is_program'],
    ];
    for (const [bytes, entry, found] of cases) {
      expect(await refusal({ filename: 'archivio.zip', bytes }), entry).toMatchObject({
        code: 'attachment_archive_contains_program',
        details: { entry, found },
      });
    }
  });

  it('finds a ZIP appended to a photo, as an unzipper that reads from the end does', async () => {
    const polyglot = Buffer.concat([sample.jpeg(), archive.zipOf({ 'setup.exe': sample.programs.windows() })]);
    expect(await refusal({ filename: 'foto.jpg', mimeType: 'image/jpeg', bytes: polyglot })).toMatchObject({
      code: 'attachment_archive_contains_program',
      details: { entry: 'setup.exe' },
    });
  });

  it('refuses archives it cannot open inside a ZIP too, and lets them through only when the policy says the scanner decides', async () => {
    const inner = archive.zipOf({ 'foto.jpg': sample.jpeg(), 'foto.rar': archive.rar(), 'foto.7z': archive.sevenZip() });
    const locked = archive.markEncrypted(archive.zipOf({ 'fattura.pdf': sample.pdf() }));
    expect(await refusal({ filename: 'a.zip', bytes: inner })).toMatchObject({
      code: 'attachment_archive_uninspectable',
      details: { entry: 'foto.rar', format: 'rar' },
    });
    await expect(checkFileSafety({ filename: 'a.zip', bytes: inner }, ALLOW_UNINSPECTABLE)).resolves.toMatchObject({
      uninspected: [
        { path: ['foto.rar'], format: 'rar', why: 'format' },
        { path: ['foto.7z'], format: '7z', why: 'format' },
      ],
    });
    await expect(checkFileSafety({ filename: 'a.zip', bytes: locked }, ALLOW_UNINSPECTABLE)).resolves.toMatchObject({
      uninspected: [{ path: ['fattura.pdf'], format: 'zip', why: 'encrypted' }],
    });
    await expect(checkFileSafety({ filename: 'a.rar', bytes: archive.rar() }, ALLOW_UNINSPECTABLE)).resolves.toMatchObject({
      uninspected: [{ path: [], format: 'rar' }],
    });
    // What the archive shows of itself is still judged: a program's name next to the locked entries.
    const lockedProgram = archive.markEncrypted(archive.zipOf({ 'setup.exe': Buffer.from('anything') }));
    expect((await refusal({ filename: 'a.zip', bytes: lockedProgram }, ALLOW_UNINSPECTABLE))?.code).toBe('attachment_archive_contains_program');
  });

  it('refuses an entry whose local header names another file than the directory does', async () => {
    // The directory says fattura.pdf; a streaming unzipper would write fattura.exe.
    const disguised = archive.renameLocally(archive.zipOf({ 'fattura.pdf': sample.pdf() }), 'fattura.exe');
    expect(await refusal({ filename: 'a.zip', bytes: disguised })).toMatchObject({
      code: 'attachment_archive_uninspectable',
      details: { entry: 'fattura.pdf', why: 'damaged' },
    });
  });

  it('opens gzip and tar like ZIPs', async () => {
    const photos = archive.tarOf({ 'foto/': '', 'foto/mare.jpg': sample.jpeg(), 'foto/fattura.pdf': sample.pdf() });
    await expect(checkFileSafety({ filename: 'foto.tar.gz', mimeType: 'application/gzip', bytes: archive.gzipOf(photos) })).resolves.toMatchObject({
      uninspected: [],
    });
    await expect(checkFileSafety({ filename: 'foto.tar', bytes: photos })).resolves.toMatchObject({ uninspected: [] });
    const cases: Array<[string, Buffer, string, string]> = [
      ['foto.tgz', archive.gzipOf(archive.tarOf({ 'mare.jpg': sample.jpeg(), 'setup.exe': 'x' })), 'foto.tar › setup.exe', 'attachment_is_program'],
      ['foto.tar', archive.tarOf({ 'mare.jpg': sample.programs.linux() }), 'mare.jpg', 'attachment_is_program'],
      ['foto.tar', archive.tarOf({ [`${'cartella/'.repeat(14)}installa.msi`]: 'x' }), `${'cartella/'.repeat(14)}installa.msi`, 'attachment_is_program'],
      ['lettera.docx.gz', archive.gzipOf(archive.docx({ 'word/vbaProject.bin': archive.vbaProject() })), 'lettera.docx', 'attachment_has_macros'],
      [
        'foto.zip',
        archive.zipOf({ 'foto.tar.gz': archive.gzipOf(archive.tarOf({ 'link.url': 'x' })) }),
        'foto.tar.gz › foto.tar › link.url',
        'attachment_is_shortcut',
      ],
    ];
    for (const [filename, bytes, entry, found] of cases) {
      expect(await refusal({ filename, bytes }), entry).toMatchObject({ code: 'attachment_archive_contains_program', details: { entry, found } });
    }
    const damaged = archive.tarOf({ 'a.txt': 'x' });
    damaged.write('9', 148, 'latin1');
    expect(await refusal({ filename: 'a.tar', bytes: damaged })).toMatchObject({
      code: 'attachment_archive_uninspectable',
      details: { format: 'tar', why: 'damaged' },
    });
    const gzipBomb = archive.gzipOf(new Uint8Array(2 * 1024 * 1024));
    expect(
      await refusal({ filename: 'zeros.gz', bytes: gzipBomb }, { allowUninspectableArchives: false, limits: { maxUnpackedBytes: 1024 * 1024 } }),
    ).toMatchObject({
      code: 'attachment_archive_too_large',
      details: { limit: 'bytes' },
    });
  });

  it('stops a ZIP bomb by what it unpacks, not by what it declares', async () => {
    const tenMegabytes = new Uint8Array(10 * 1024 * 1024);
    const layer1 = archive.zipOf({ 'zeros.bin.txt': tenMegabytes }, 9);
    const layer2 = archive.zipOf(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${i}.zip`, layer1])), 9);
    const bomb = archive.zipOf(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${i}.zip`, layer2])), 9);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    // One gigabyte unpacked, past the default budget of 200 MiB.
    expect(await refusal({ filename: 'bomb.zip', bytes: bomb })).toMatchObject({ code: 'attachment_archive_too_large', details: { limit: 'bytes' } });
    const lying = archive.declareSize(archive.zipOf({ 'zeros.txt': new Uint8Array(2 * 1024 * 1024) }, 9), 10);
    expect(
      await refusal({ filename: 'small.zip', bytes: lying }, { allowUninspectableArchives: false, limits: { maxUnpackedBytes: 1024 * 1024 } }),
    ).toMatchObject({
      code: 'attachment_archive_too_large',
    });
  });

  it('bounds the entries and the nesting', async () => {
    const many = archive.zipOf(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`${i}.txt`, 'x'])), 0);
    expect(await refusal({ filename: 'many.zip', bytes: many }, { allowUninspectableArchives: false, limits: { maxEntries: 50 } })).toMatchObject({
      code: 'attachment_archive_too_large',
      details: { limit: 'entries' },
    });
    expect(await refusal({ filename: 'deep.zip', bytes: archive.nested(6, { 'a.txt': 'x' }) })).toMatchObject({
      code: 'attachment_archive_too_large',
      details: { limit: 'depth' },
    });
  });

  it('is the check of a file an agent sends, too', async () => {
    const withMacros = archive.docx({ 'word/vbaProject.bin': archive.vbaProject() });
    const withProgram = archive.docx({ 'word/embeddings/oleObject1.bin': archive.packagedObject() });
    const send = (bytes: Buffer) =>
      checkAttachment({ kind: 'document', mimeType: DOCX, filename: 'lettera.docx', bytes }).then(
        () => 'sent',
        (error: unknown) => (error as { code: string }).code,
      );
    expect(await send(archive.docx())).toBe('sent');
    expect(await send(withMacros)).toBe('attachment_has_macros');
    expect(await send(withProgram)).toBe('attachment_archive_contains_program');
  });
});
