/**
 * What the bytes of a disk image, a shortcut or an archive look like, by the formats' own
 * markers: some at the start, an ISO 9660 volume's at 32 KiB in, a VHD's and a DMG's in the last
 * 512 bytes. Pure JavaScript over a byte array (common/ has no Node).
 */
const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

function hasAt(bytes: Uint8Array, offset: number, signature: readonly number[]): boolean {
  if (offset < 0 || offset + signature.length > bytes.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

const fromEnd = (bytes: Uint8Array, back: number, signature: readonly number[]) => hasAt(bytes, bytes.length - back, signature);

/** ISO 9660 / UDF volumes, Apple disk images, virtual disks (VHD, VHDX, VMDK, VDI, QCOW). */
export function isDiskImage(bytes: Uint8Array): boolean {
  const volumeMarkers = [ascii('CD001'), ascii('BEA01'), ascii('NSR02'), ascii('NSR03')];
  if ([0x8001, 0x8801, 0x9001].some((offset) => volumeMarkers.some((marker) => hasAt(bytes, offset, marker)))) return true;
  if (fromEnd(bytes, 512, ascii('koly'))) return true;
  if (hasAt(bytes, 0, ascii('conectix')) || fromEnd(bytes, 512, ascii('conectix')) || fromEnd(bytes, 511, ascii('conectix'))) return true;
  if (hasAt(bytes, 0, ascii('vhdxfile'))) return true;
  if (hasAt(bytes, 0, ascii('KDMV')) || hasAt(bytes, 0, ascii('# Disk DescriptorFile'))) return true;
  if (hasAt(bytes, 0x40, [0x7f, 0x10, 0xda, 0xbe])) return true;
  return hasAt(bytes, 0, [0x51, 0x46, 0x49, 0xfb]);
}

const LNK_HEADER = [0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];

/** Windows shell links (.lnk), Internet shortcuts (.url), Linux desktop entries, macOS web locations. */
export function isShortcut(bytes: Uint8Array): boolean {
  if (hasAt(bytes, 0, LNK_HEADER)) return true;
  const head = String.fromCharCode(...bytes.subarray(0, 512))
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '')
    .split('\u0000')
    .join('')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('[internetshortcut]') || head.startsWith('[desktop entry]') || head.startsWith('[{000214a0-0000-0000-c000-000000000046}]')) return true;
  return head.startsWith('<?xml') && head.includes('<plist') && (head.includes('<key>url</key>') || head.includes('<key>urlstring</key>'));
}

export type ArchiveFormat =
  'zip' | 'rar' | '7z' | 'cab' | 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'lzip' | 'tar' | 'arj' | 'lzh' | 'ace' | 'cpio' | 'compress' | 'ar';

const STARTS: ReadonlyArray<[ArchiveFormat, number, readonly number[]]> = [
  ['zip', 0, ascii('PK\u0003\u0004')],
  ['zip', 0, ascii('PK\u0005\u0006')],
  ['zip', 0, ascii('PK\u0007\u0008')],
  ['rar', 0, ascii('Rar!\u001a\u0007')],
  ['7z', 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['cab', 0, ascii('MSCF')],
  ['cab', 0, ascii('ISc(')],
  ['gzip', 0, [0x1f, 0x8b]],
  ['bzip2', 0, ascii('BZh')],
  ['xz', 0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', 0, [0x28, 0xb5, 0x2f, 0xfd]],
  ['lzip', 0, ascii('LZIP')],
  ['tar', 257, ascii('ustar')],
  ['arj', 0, [0x60, 0xea]],
  ['lzh', 2, ascii('-lh')],
  ['ace', 7, ascii('**ACE**')],
  ['cpio', 0, ascii('070707')],
  ['cpio', 0, ascii('070701')],
  ['cpio', 0, ascii('070702')],
  ['cpio', 0, [0xc7, 0x71]],
  ['compress', 0, [0x1f, 0x9d]],
  ['compress', 0, [0x1f, 0xa0]],
  ['ar', 0, ascii('!<arch>\n')],
];

/** The archive format the bytes start as, if any (a ZIP found only by its end is the ZIP reader's). */
export function archiveFormatOf(bytes: Uint8Array): ArchiveFormat | undefined {
  return STARTS.find(([, offset, signature]) => hasAt(bytes, offset, signature))?.[0];
}
