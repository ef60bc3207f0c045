/**
 * The attachment byte check (common/attachments/attachment-check.ts) never accepts a file that
 * starts with a program's magic number, whatever it is called, whatever kind and type it is
 * declared as, and whatever follows the magic number: random bytes, or a whole file of a type
 * WhatsApp takes (a polyglot that a detector could take for a photo or a PDF).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAttachment, checkPickedFile } from '../../common/attachments/attachment-check.js';
import { ATTACHMENT_FORMATS } from '../../common/attachments/attachment-formats.js';
import { MEDIA_KINDS, MEDIA_LIMITS } from '../../common/attachments/media-limits.js';
import * as sample from '../helpers/file-samples.js';

const bytes = (...values: number[]) => Buffer.from(values);
const text = (value: string) => Buffer.from(value, 'latin1');

/** What each kind of program, installer or script starts with. */
const PROGRAM_STARTS: ReadonlyArray<[string, Buffer]> = [
  ['Windows executable (MZ)', text('MZ')],
  ['ELF executable', bytes(0x7f, 0x45, 0x4c, 0x46)],
  ['Mach-O 32-bit', bytes(0xfe, 0xed, 0xfa, 0xce)],
  ['Mach-O 64-bit', bytes(0xfe, 0xed, 0xfa, 0xcf)],
  ['Mach-O 32-bit, little-endian', bytes(0xce, 0xfa, 0xed, 0xfe)],
  ['Mach-O 64-bit, little-endian', bytes(0xcf, 0xfa, 0xed, 0xfe)],
  ['Mach-O universal binary or Java class', bytes(0xca, 0xfe, 0xba, 0xbe)],
  ['WebAssembly', bytes(0x00, 0x61, 0x73, 0x6d)],
  ['script (#!)', text('#!')],
];

const SENDABLE_BODIES: ReadonlyArray<() => Buffer> = [
  () => sample.jpeg(),
  () => sample.PNG,
  () => sample.webp(),
  () => sample.isoMedia('isom'),
  () => sample.mp3(),
  () => sample.ogg('opus'),
  () => sample.pdf(),
  () => sample.windows1252Text(),
  () => sample.ooxml('docx'),
  () => sample.compoundFile(sample.CLASS_IDS.word, ['WordDocument', '1Table']),
];

const EXTENSIONS = [
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.mp4',
  '.3gp',
  '.mp3',
  '.m4a',
  '.aac',
  '.amr',
  '.ogg',
  '.opus',
  '.pdf',
  '.txt',
  '.doc',
  '.docx',
  '.xls',
  '.xlsx',
  '.ppt',
  '.pptx',
  '.exe',
  '',
];

const program = fc
  .tuple(
    fc.constantFrom(...PROGRAM_STARTS),
    fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.constantFrom(...SENDABLE_BODIES).map((body) => new Uint8Array(body())),
      // A sendable file's bytes a few bytes in, where detectors look for boxes and markers.
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constantFrom(...SENDABLE_BODIES)).map(([gap, body]) => new Uint8Array([...gap, ...body()])),
    ),
  )
  .map(([[name, magic], tail]) => ({ name, bytes: new Uint8Array([...magic, ...tail]) }))
  // `#!AMR` is how AMR audio starts, not a script.
  .filter((file) => !Buffer.from(file.bytes.subarray(0, 5)).equals(text('#!AMR')));

const declared = fc.oneof(
  fc.constantFrom(...MEDIA_KINDS).chain((kind) => fc.record({ kind: fc.constant(kind), mimeType: fc.constantFrom(...MEDIA_LIMITS[kind].sendableMimeTypes) })),
  fc.record({
    kind: fc.constantFrom(...MEDIA_KINDS),
    mimeType: fc.constantFrom('application/octet-stream', 'text/plain', 'image/jpeg', 'application/pdf', ''),
  }),
);

const filename = fc.tuple(fc.stringMatching(/^[a-zA-Z0-9 _-]{1,12}$/), fc.constantFrom(...EXTENSIONS)).map(([stem, extension]) => `${stem}${extension}`);

/** A type WhatsApp takes, declared as it should be, and a name that matches it: nothing but the bytes to refuse. */
const honestlyDeclared = fc.constantFrom(...ATTACHMENT_FORMATS).chain((format) =>
  fc.record({
    kind: fc.constant(format.kind),
    mimeType: fc.constant(format.mimeType),
    filename: fc.tuple(fc.stringMatching(/^[a-zA-Z0-9 _-]{1,12}$/), fc.constantFrom(...format.extensions)).map(([stem, extension]) => `${stem}${extension}`),
  }),
);

async function refusalCode(check: Promise<unknown>): Promise<string | undefined> {
  return check.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );
}

async function accepted(check: Promise<unknown>): Promise<boolean> {
  return check.then(
    () => true,
    () => false,
  );
}

describe('the attachment check and programs', () => {
  it('refuses a program the detector names nothing, or that reads as text', async () => {
    // A Java class's or a universal binary's magic, too short for the detector to name: as
    // Windows-1252 it reads "Êþº¾ ", and passed as a .txt.
    expect(await refusalCode(checkPickedFile('notes.txt', bytes(0xca, 0xfe, 0xba, 0xbe, 0x20)))).toBe('attachment_is_program');
    expect(await refusalCode(checkPickedFile('photo.jpg', bytes(0xcf, 0xfa, 0xed, 0xfe)))).toBe('attachment_is_program');
    expect(await refusalCode(checkPickedFile('clip.mp4', new Uint8Array([0x00, 0x61, 0x73, 0x6d, ...sample.isoMedia('isom')])))).toBe('attachment_is_program');
  });

  it('never accepts bytes that start with a program’s magic number, whatever the name or the declared type', async () => {
    await fc.assert(
      fc.asyncProperty(program, declared, fc.option(filename, { nil: null }), async (file, type, name) => {
        expect(
          await accepted(checkAttachment({ ...type, filename: name, bytes: file.bytes })),
          `${file.name} as ${type.kind} ${type.mimeType} named ${name}`,
        ).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses it as a program when its name and declared type are in order', async () => {
    await fc.assert(
      fc.asyncProperty(program, honestlyDeclared, async (file, type) => {
        expect(await refusalCode(checkAttachment({ ...type, bytes: file.bytes })), `${file.name} as ${type.filename}`).toBe('attachment_is_program');
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts one picked from the disk, whatever it is called', async () => {
    await fc.assert(
      fc.asyncProperty(program, filename, async (file, name) => {
        expect(await accepted(checkPickedFile(name, file.bytes)), `${file.name} named ${name}`).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
