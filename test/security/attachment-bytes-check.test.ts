/**
 * The one byte check of a file to send (common/attachments/attachment-check.ts), used by the
 * desktop client before it uploads and by the server on every upload: each type WhatsApp takes
 * passes when its bytes are what its name says, and every disguise is refused with the code the
 * client shows.
 */
import { describe, expect, it } from 'vitest';
import { checkAttachment, checkPickedFile } from '../../common/attachments/attachment-check.js';
import { readCompoundFileDirectory } from '../../common/attachments/compound-file.js';
import * as sample from '../helpers/file-samples.js';

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );
}

const SENDABLE: ReadonlyArray<[string, () => Buffer, { kind: string; mimeType: string }]> = [
  ['photo.jpg', () => sample.jpeg(), { kind: 'image', mimeType: 'image/jpeg' }],
  ['photo.JPEG', () => sample.jpeg(), { kind: 'image', mimeType: 'image/jpeg' }],
  ['receipt.png', () => sample.PNG, { kind: 'image', mimeType: 'image/png' }],
  ['sticker.webp', () => sample.webp(), { kind: 'sticker', mimeType: 'image/webp' }],
  ['clip.mp4', () => sample.isoMedia('isom'), { kind: 'video', mimeType: 'video/mp4' }],
  ['clip.3gp', () => sample.isoMedia('3gp4'), { kind: 'video', mimeType: 'video/3gpp' }],
  ['song.mp3', () => sample.mp3(), { kind: 'audio', mimeType: 'audio/mpeg' }],
  ['memo.m4a', () => sample.isoMedia('M4A '), { kind: 'audio', mimeType: 'audio/mp4' }],
  ['memo.aac', () => sample.adtsAac(), { kind: 'audio', mimeType: 'audio/aac' }],
  ['memo.amr', () => sample.amr(), { kind: 'audio', mimeType: 'audio/amr' }],
  ['voice.ogg', () => sample.ogg('opus'), { kind: 'audio', mimeType: 'audio/ogg' }],
  ['invoice.pdf', () => sample.pdf(), { kind: 'document', mimeType: 'application/pdf' }],
  ['note.txt', () => sample.windows1252Text(), { kind: 'document', mimeType: 'text/plain' }],
  ['note-utf16.txt', () => sample.utf16Text(), { kind: 'document', mimeType: 'text/plain' }],
  ['letter.docx', () => sample.ooxml('docx'), { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }],
  ['sheet.xlsx', () => sample.ooxml('xlsx'), { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }],
  ['slides.pptx', () => sample.ooxml('pptx'), { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' }],
  [
    'letter.doc',
    () => sample.compoundFile(sample.CLASS_IDS.word, ['WordDocument', '1Table', 'SummaryInformation', 'DocumentSummaryInformation', 'CompObj']),
    { kind: 'document', mimeType: 'application/msword' },
  ],
  ['sheet.xls', () => sample.compoundFile('00020820-0000-0000-C000-000000000046', ['Workbook']), { kind: 'document', mimeType: 'application/vnd.ms-excel' }],
  [
    'slides.ppt',
    () => sample.compoundFile('64818D10-4F9B-11CF-86EA-00AA00B929E8', ['PowerPoint Document', 'Current User']),
    { kind: 'document', mimeType: 'application/vnd.ms-powerpoint' },
  ],
];

const REFUSED: ReadonlyArray<[string, string, () => Buffer, string]> = [
  ['a Windows program named as a PDF', 'invoice.pdf', () => sample.programs.windows(), 'attachment_is_program'],
  ['a Linux program named as a photo', 'photo.jpg', () => sample.programs.linux(), 'attachment_is_program'],
  ['a macOS program named as a document', 'letter.docx', () => sample.programs.macos(), 'attachment_is_program'],
  ['a shell script named as text', 'notes.txt', () => sample.shellScript(), 'attachment_is_program'],
  [
    'a Windows installer named as a Word document',
    'letter.doc',
    () => sample.compoundFile(sample.CLASS_IDS.installer, ['WordDocument']),
    'attachment_is_program',
  ],
  ['a Word document with macros', 'letter.doc', () => sample.compoundFile(sample.CLASS_IDS.word, ['WordDocument', 'Macros', 'VBA']), 'attachment_has_macros'],
  ['a macro-enabled document named .docx', 'letter.docx', () => sample.ooxml('docm'), 'attachment_has_macros'],
  ['a PNG named as a JPEG', 'photo.jpg', () => sample.PNG, 'attachment_content_mismatch'],
  ['a ZIP archive named as a Word document', 'letter.docx', () => sample.zip({ 'readme.txt': 'hello' }), 'attachment_content_mismatch'],
  [
    'an Excel workbook named as a Word document',
    'letter.doc',
    () => sample.compoundFile('00020820-0000-0000-C000-000000000046', ['Workbook']),
    'attachment_content_mismatch',
  ],
  ['a spreadsheet named as slides', 'slides.pptx', () => sample.ooxml('xlsx'), 'attachment_content_mismatch'],
  ['an Ogg Vorbis file (WhatsApp plays Opus only)', 'voice.ogg', () => sample.ogg('vorbis'), 'attachment_content_mismatch'],
  ['binary bytes named as text', 'notes.txt', () => Buffer.from([0x00, 0x01, 0x02, 0x41, 0x42]), 'attachment_content_mismatch'],
  ['an empty-looking PDF', 'invoice.pdf', () => Buffer.from('not a pdf at all'), 'attachment_content_mismatch'],
  ['a program', 'setup.exe', () => sample.programs.windows(), 'attachment_type_not_allowed'],
  ['a GIF', 'funny.gif', () => Buffer.from('GIF89a'), 'attachment_type_not_allowed'],
  ['a file without an extension', 'README', () => sample.windows1252Text(), 'attachment_type_not_allowed'],
  ['a photo over 5 MB', 'big.jpg', () => sample.jpeg(5 * 1024 * 1024 + 1), 'attachment_too_large'],
  ['a static sticker over 100 KB', 'sticker.webp', () => sample.webp({ size: 100 * 1024 + 1 }), 'attachment_too_large'],
  ['an animated sticker over 500 KB', 'sticker.webp', () => sample.webp({ animated: true, size: 500 * 1024 + 1 }), 'attachment_too_large'],
];

describe('the attachment byte check', () => {
  it.each(SENDABLE)('takes %s as what its name says', async (name, bytes, expected) => {
    await expect(checkPickedFile(name, bytes())).resolves.toEqual({ ...expected, animated: false, uninspected: [] });
    await expect(checkAttachment({ ...expected, filename: name, bytes: bytes() })).resolves.toMatchObject(expected);
  });

  it.each(REFUSED)('refuses %s', async (_what, name, bytes, code) => {
    expect(await refusal(checkPickedFile(name, bytes()))).toBe(code);
  });

  it('takes an animated sticker up to 500 KB, a static one up to 100 KB', async () => {
    await expect(checkPickedFile('wave.webp', sample.webp({ animated: true, size: 400 * 1024 }))).resolves.toEqual({
      kind: 'sticker',
      mimeType: 'image/webp',
      animated: true,
      uninspected: [],
    });
    await expect(checkPickedFile('still.webp', sample.webp({ size: 100 * 1024 }))).resolves.toMatchObject({ animated: false });
  });

  it('judges the declared type, not the name, and refuses a name that claims another type', async () => {
    // What the server gets: a kind and a Content-Type from whoever holds a token.
    expect(await refusal(checkAttachment({ kind: 'document', mimeType: 'application/pdf', filename: 'invoice.pdf', bytes: sample.programs.windows() }))).toBe(
      'attachment_is_program',
    );
    expect(await refusal(checkAttachment({ kind: 'image', mimeType: 'image/jpeg', filename: 'photo.jpg', bytes: sample.PNG }))).toBe(
      'attachment_content_mismatch',
    );
    expect(await refusal(checkAttachment({ kind: 'document', mimeType: 'application/pdf', filename: 'invoice.pdf.exe', bytes: sample.pdf() }))).toBe(
      'attachment_type_not_allowed',
    );
    expect(await refusal(checkAttachment({ kind: 'image', mimeType: 'application/pdf', filename: 'invoice.pdf', bytes: sample.pdf() }))).toBe(
      'attachment_type_not_allowed',
    );
    expect(
      await refusal(checkAttachment({ kind: 'executable', mimeType: 'application/x-msdownload', filename: 'x.exe', bytes: sample.programs.windows() })),
    ).toBe('attachment_type_not_allowed');
    // Parameters of the type do not matter; the kind must still be the type's.
    await expect(
      checkAttachment({ kind: 'audio', mimeType: 'audio/ogg; codecs=opus', filename: 'voice.ogg', bytes: sample.ogg('opus') }),
    ).resolves.toMatchObject({ mimeType: 'audio/ogg' });
    // A file with no name to judge (a customer's photo being forwarded) is judged by its bytes.
    await expect(checkAttachment({ kind: 'image', mimeType: 'image/png', filename: null, bytes: sample.PNG })).resolves.toMatchObject({ kind: 'image' });
  });

  it('reads an old Office file’s directory, and gives up on a damaged one instead of looping', () => {
    const doc = sample.compoundFile(sample.CLASS_IDS.word, ['WordDocument', '1Table', 'a', 'b', 'c', 'd', 'e', 'f']);
    expect(readCompoundFileDirectory(doc)).toEqual({
      rootClassId: sample.CLASS_IDS.word,
      names: new Set(['WordDocument', '1Table', 'a', 'b', 'c', 'd', 'e', 'f']),
    });
    const looping = Buffer.from(doc);
    looping.writeUInt32LE(1, 512 + 4 * 2); // the directory's second sector points back at its first
    expect(readCompoundFileDirectory(looping)).toBeUndefined();
    expect(readCompoundFileDirectory(doc.subarray(0, 700))).toBeUndefined();
  });
});
