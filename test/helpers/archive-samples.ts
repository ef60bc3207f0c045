/**
 * Archives and containers built in the test, with fflate (the same library the check reads them
 * with, but its writer): ZIPs stored or deflated, nested ZIPs, Office Open XML files with a VBA
 * project or an embedded object, an encrypted ZIP (the encryption flag set in its local and
 * central headers), the first bytes of RAR and 7z archives, disk images and shortcuts.
 */
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import * as sample from './file-samples.js';

const text = (value: string) => Buffer.from(value, 'utf8');

/** A ZIP of these entries (deflated unless `level` is 0). */
export function zipOf(entries: Record<string, Uint8Array | string>, level: 0 | 1 | 6 | 9 = 6): Buffer {
  const files: Zippable = {};
  for (const [name, content] of Object.entries(entries)) files[name] = typeof content === 'string' ? text(content) : content;
  return Buffer.from(zipSync(files, { level }));
}

/** `entry` inside `levels` ZIPs, each named `level-<n>.zip` in the one around it; with a sibling at every level. */
export function nested(levels: number, innermost: Record<string, Uint8Array | string>, level: 0 | 1 | 6 | 9 = 6): Buffer {
  let archive = zipOf({ ...innermost, 'readme.txt': 'the innermost level' }, level);
  for (let n = levels - 1; n >= 1; n -= 1) archive = zipOf({ [`level-${n}.zip`]: archive, [`notes-${n}.txt`]: `level ${n}` }, level);
  return archive;
}

/** Sets the "encrypted" bit of every entry, in the local headers and the central directory. */
export function markEncrypted(archive: Buffer): Buffer {
  const copy = Buffer.from(archive);
  for (let at = 0; at + 4 <= copy.length; at += 1) {
    const signature = copy.readUInt32LE(at);
    if (signature === 0x04034b50) copy.writeUInt16LE(copy.readUInt16LE(at + 6) | 1, at + 6);
    if (signature === 0x02014b50) copy.writeUInt16LE(copy.readUInt16LE(at + 8) | 1, at + 8);
  }
  return copy;
}

/** Writes `size` into every central directory entry's uncompressed size: a ZIP that lies about what it unpacks to. */
export function declareSize(archive: Buffer, size: number): Buffer {
  const copy = Buffer.from(archive);
  for (let at = 0; at + 4 <= copy.length; at += 1) if (copy.readUInt32LE(at) === 0x02014b50) copy.writeUInt32LE(size, at + 24);
  return copy;
}

const CONTENT_TYPES = (overrides: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>${overrides}</Types>`;

const RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** A Word document (.docx) as Word writes one, with extra parts. */
export function docx(parts: Record<string, Uint8Array | string> = {}, contentTypeOverrides = ''): Buffer {
  return zipOf({
    '[Content_Types].xml': CONTENT_TYPES(contentTypeOverrides),
    '_rels/.rels': RELS,
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
    ...parts,
  });
}

/** A VBA project storage as Office writes it: an OLE compound file with the VBA storage. */
export const vbaProject = () => sample.compoundFile('00000000-0000-0000-0000-000000000000', ['VBA', 'dir', '_VBA_PROJECT', 'PROJECT']);

/** An embedded "Package" object (Ole10Native): how a document carries a file of its own, often a program. */
export const packagedObject = () => sample.compoundFile('0003000C-0000-0000-C000-000000000046', ['\u0001Ole10Native', '\u0001CompObj']);

export const rar = () => Buffer.concat([Buffer.from('Rar!\u001a\u0007\u0001\u0000', 'latin1'), Buffer.alloc(200, 7)]);
export const sevenZip = () => Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), Buffer.alloc(200, 3)]);

/** An ISO 9660 volume: system area, then the primary volume descriptor at 32 KiB. */
export function iso(): Buffer {
  const image = Buffer.alloc(0x8000 + 2048 * 2);
  image.writeUInt8(1, 0x8000);
  image.write('CD001', 0x8001, 'latin1');
  return image;
}

/** A raw Apple disk image: data, then the 512-byte `koly` trailer. */
export function dmg(): Buffer {
  const trailer = Buffer.alloc(512);
  trailer.write('koly', 0, 'latin1');
  return Buffer.concat([Buffer.alloc(4096, 0x11), trailer]);
}

/** A fixed VHD: the disk's bytes, then the 512-byte `conectix` footer. */
export function vhd(): Buffer {
  const footer = Buffer.alloc(512);
  footer.write('conectix', 0, 'latin1');
  return Buffer.concat([Buffer.alloc(4096), footer]);
}

/** A Windows shell link: its 76-byte header (size, LinkCLSID) and a little more. */
export function lnk(): Buffer {
  const header = Buffer.alloc(76);
  header.writeUInt32LE(0x4c, 0);
  Buffer.from('0114020000000000c000000000000046', 'hex').copy(header, 4);
  return Buffer.concat([header, Buffer.alloc(64, 1)]);
}

export const internetShortcut = () => text('[InternetShortcut]\r\nURL=https://evil.example/login\r\n');

/** Renames the first entry in its local header only: a streaming unzipper would see `name`, the directory another. */
export function renameLocally(archive: Buffer, name: string): Buffer {
  const copy = Buffer.from(archive);
  const length = copy.readUInt16LE(26);
  if (Buffer.byteLength(name) !== length) throw new Error(`the new name must be ${length} bytes long`);
  copy.write(name, 30, 'utf8');
  return copy;
}

/** A POSIX ustar archive of these files; a name over 100 bytes gets a GNU long-name entry before it. */
export function tarOf(entries: Record<string, Uint8Array | string>): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string) => {
    const block = Buffer.alloc(512);
    block.write(name.slice(0, 100), 0, 'utf8');
    block.write('0000644\0', 100, 'latin1');
    block.write('0000000\0', 108, 'latin1');
    block.write('0000000\0', 116, 'latin1');
    block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    block.write('00000000000\0', 136, 'latin1');
    block.write(type, 156, 'latin1');
    block.write('ustar\u000000', 257, 'latin1');
    block.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    return block;
  };
  const data = (bytes: Buffer) => Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
  for (const [name, content] of Object.entries(entries)) {
    const bytes = typeof content === 'string' ? text(content) : Buffer.from(content);
    if (Buffer.byteLength(name) > 100) blocks.push(header('././@LongLink', Buffer.byteLength(name) + 1, 'L'), data(Buffer.from(`${name}\0`)));
    blocks.push(header(name, bytes.length, name.endsWith('/') ? '5' : '0'), data(bytes));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

export const gzipOf = (bytes: Uint8Array) => zlib.gzipSync(bytes);
