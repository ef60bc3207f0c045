/**
 * Reads a ZIP archive's central directory (APPNOTE 6.3.10, with ZIP64) and inflates one entry at
 * a time with `fflate`, stopping as soon as an entry unpacks past the bytes it may still take: the
 * sizes an archive declares are never trusted, so a ZIP bomb is stopped by what it really
 * produces. fflate's own unzip hides the flags that say an entry is encrypted, so the directory
 * is read here.
 */
import { Inflate, strFromU8 } from 'fflate';

export interface ZipEntry {
  readonly name: string;
  /** Traditional PKWARE or strong (AES) encryption: the bytes cannot be read. */
  readonly encrypted: boolean;
  /** 0 stored, 8 deflated; anything else this reader cannot unpack. */
  readonly method: number;
  readonly compressedSize: number;
  readonly declaredSize: number;
  readonly localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
const FULL32 = 0xffffffff;
const INFLATE_CHUNK = 1024;

/** The entries of a ZIP archive; undefined when the bytes hold no readable central directory. */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - MAX_COMMENT); at -= 1) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) <= bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return undefined;
  let count = u16(eocd + 10);
  let directorySize = u32(eocd + 12);
  let directoryOffset = u32(eocd + 16);
  let directoryEnd = eocd;
  if ((count === 0xffff || directoryOffset === FULL32) && eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR) {
    const record = u64(eocd - 12);
    if (record + 56 > bytes.length || u32(record) !== ZIP64_EOCD) return undefined;
    count = u64(record + 32);
    directorySize = u64(record + 40);
    directoryOffset = u64(record + 48);
    directoryEnd = record;
  }
  // Bytes before the archive (a ZIP appended to a photo, a self-extractor's stub) shift every
  // offset: the directory really ends where the end record starts, as unzippers that read from
  // the end take it.
  const shift = directoryEnd - directorySize - directoryOffset;
  if (shift < 0) return undefined;
  directoryOffset += shift;
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL) return undefined;
    const flags = u16(at + 8);
    const method = u16(at + 10);
    let compressedSize = u32(at + 20);
    let declaredSize = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let localHeaderOffset = u32(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) return undefined;
    // ZIP64: the 32-bit fields that are all ones are in the extra field, in this order.
    for (let extra = at + 46 + nameLength; extra + 4 <= at + 46 + nameLength + extraLength; extra += 4 + u16(extra + 2)) {
      if (u16(extra) !== 0x0001) continue;
      let field = extra + 4;
      if (declaredSize === FULL32) {
        declaredSize = u64(field);
        field += 8;
      }
      if (compressedSize === FULL32) {
        compressedSize = u64(field);
        field += 8;
      }
      if (localHeaderOffset === FULL32) localHeaderOffset = u64(field);
    }
    entries.push({
      name: decodeName(bytes.subarray(at + 46, at + 46 + nameLength)),
      // Bit 0: encrypted; bit 6: strong encryption; bit 13: the directory itself is encrypted; method 99: AES.
      encrypted: (flags & 0x0001) !== 0 || (flags & 0x0040) !== 0 || (flags & 0x2000) !== 0 || method === 99,
      method,
      compressedSize,
      declaredSize,
      localHeaderOffset: localHeaderOffset + shift,
    });
    at = end;
  }
  return entries;
}

export type EntryBytes = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly why: 'too_large' | 'damaged' | 'unsupported' };

/** An entry's bytes, or why not: more than `limit` bytes, a damaged entry, a method not read here. */
export function readZipEntry(archive: Uint8Array, entry: ZipEntry, limit: number): EntryBytes {
  if (entry.method !== 0 && entry.method !== 8) return { ok: false, why: 'unsupported' };
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > archive.length || view.getUint32(local, true) !== LOCAL) return { ok: false, why: 'damaged' };
  const nameLength = view.getUint16(local + 26, true);
  const start = local + 30 + nameLength + view.getUint16(local + 28, true);
  const end = start + entry.compressedSize;
  if (end > archive.length) return { ok: false, why: 'damaged' };
  // An unzipper that reads the local headers (a streaming one) would name the entry by this one:
  // a name other than the directory's is a disguise, not a file we can vouch for.
  if (decodeName(archive.subarray(local + 30, local + 30 + nameLength)) !== entry.name) return { ok: false, why: 'damaged' };
  const packed = archive.subarray(start, end);
  if (entry.method === 0) return packed.length > limit ? { ok: false, why: 'too_large' } : { ok: true, bytes: packed };
  return inflateWithin(packed, limit);
}

/** UTF-8 (what every current zipper writes); a name that is not valid UTF-8 is read byte by byte. */
function decodeName(bytes: Uint8Array): string {
  try {
    return strFromU8(bytes);
  } catch {
    return strFromU8(bytes, true);
  }
}

class PastLimit extends Error {}

function inflateWithin(packed: Uint8Array, limit: number): EntryBytes {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > limit) throw new PastLimit();
    chunks.push(chunk);
    if (final) finished = true;
  });
  try {
    if (packed.length === 0) inflater.push(packed, true);
    for (let at = 0; at < packed.length; at += INFLATE_CHUNK) inflater.push(packed.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= packed.length);
  } catch (error) {
    return { ok: false, why: error instanceof PastLimit ? 'too_large' : 'damaged' };
  }
  if (!finished) return { ok: false, why: 'damaged' };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}
