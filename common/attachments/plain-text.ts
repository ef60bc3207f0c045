/**
 * Text has no magic number, so a .txt is judged by its characters: UTF-8 or a single-byte
 * encoding (Windows-1252, Latin-1: what Italian Windows machines save), or UTF-16 with its byte
 * order mark, holding no control characters but tab, line and page breaks (and the DOS end-of-file
 * mark). Binary content (a program, an archive, an image) fails at its first NUL or control byte.
 */
const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1a]);

const isAllowedUnit = (unit: number): boolean => unit >= 0x20 || ALLOWED_CONTROLS.has(unit);

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'bytes';

function byteOrder(bytes: Uint8Array): { encoding: Encoding; start: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', start: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', start: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', start: 2 };
  return { encoding: 'bytes', start: 0 };
}

/** The code units after the byte order mark (bytes, or 16-bit units for UTF-16). */
function* units(bytes: Uint8Array): Generator<number> {
  const { encoding, start } = byteOrder(bytes);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    if ((bytes.length - start) % 2 !== 0) {
      yield 0;
      return;
    }
    for (let i = start; i < bytes.length; i += 2) {
      const [a = 0, b = 0] = [bytes[i], bytes[i + 1]];
      yield encoding === 'utf-16le' ? a | (b << 8) : (a << 8) | b;
    }
    return;
  }
  for (let i = start; i < bytes.length; i += 1) yield bytes[i] ?? 0;
}

export function isPlainText(bytes: Uint8Array): boolean {
  for (const unit of units(bytes)) if (!isAllowedUnit(unit)) return false;
  return true;
}

/**
 * A script a Unix system runs by its first line (`#!/bin/sh`), after any byte order mark. AMR
 * audio starts `#!AMR` and is not one.
 */
export function startsWithShebang(bytes: Uint8Array): boolean {
  const head: number[] = [];
  for (const unit of units(bytes)) {
    head.push(unit);
    if (head.length === 5) break;
  }
  const text = String.fromCharCode(...head);
  return text.startsWith('#!') && !text.startsWith('#!AMR');
}
