/**
 * gzip and tar, opened so that a `.tar.gz` is judged by what it holds like a ZIP: gzip unpacked
 * with fflate's streaming `Gunzip` and stopped past the bytes left in the budget; tar read by its
 * 512-byte headers (POSIX ustar, with GNU long names and pax `path` records).
 */
import { Gunzip, strFromU8 } from 'fflate';
import type { EntryBytes } from './zip-reader.js';

const GUNZIP_CHUNK = 1024;
const BLOCK = 512;

class PastLimit extends Error {}

/** All members of a gzip file, concatenated, or why not. */
export function gunzipWithin(packed: Uint8Array, limit: number): EntryBytes {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const gunzip = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > limit) throw new PastLimit();
    chunks.push(chunk);
  });
  try {
    for (let at = 0; at < packed.length; at += GUNZIP_CHUNK) gunzip.push(packed.subarray(at, at + GUNZIP_CHUNK), at + GUNZIP_CHUNK >= packed.length);
  } catch (error) {
    return { ok: false, why: error instanceof PastLimit ? 'too_large' : 'damaged' };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}

export interface TarEntry {
  readonly name: string;
  /** '0' a file, '5' a folder, '1'/'2' links, …: only files have bytes worth judging. */
  readonly type: string;
  readonly bytes: Uint8Array;
}

const field = (block: Uint8Array, at: number, length: number) => strFromU8(block.subarray(at, at + length), true).replace(/\0[\s\S]*$/, '');

/** The entries of a tar archive; undefined when a header is damaged (a bad checksum, a size past the end). */
export function readTar(bytes: Uint8Array): TarEntry[] | undefined {
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= bytes.length;) {
    const header = bytes.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) return undefined;
    const sizeText = field(header, 124, 12).trim();
    if (!/^[0-7]*$/.test(sizeText)) return undefined;
    const size = sizeText === '' ? 0 : parseInt(sizeText, 8);
    const start = at + BLOCK;
    if (start + size > bytes.length) return undefined;
    const data = bytes.subarray(start, start + size);
    const type = field(header, 156, 1) || '0';
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = strFromU8(data, true).replace(/\0[\s\S]*$/, '');
      continue;
    }
    if (type === 'x') {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(strFromU8(data, true))?.[1] ?? longName;
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix === '' ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`);
    longName = undefined;
    entries.push({ name, type, bytes: data });
  }
  return entries;
}

function checksumMatches(header: Uint8Array): boolean {
  const stored = parseInt(field(header, 148, 8).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return stored === sum;
}
