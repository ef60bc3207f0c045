/**
 * What a file is by its bytes, and what is inside it: programs, scripts, installers, disk images,
 * shortcuts and macros are found at the top and inside ZIP archives (Office Open XML files are
 * ZIPs too), gzip files and tar archives nested up to a bound, with every entry's name judged as well as its bytes. Archives
 * this code cannot open (RAR, 7z, encrypted ZIP, …) are uninspectable: refused, unless the policy
 * lets them through to be judged by the virus scanner alone. A ZIP bomb runs out of its budget of
 * entries, depth or unpacked bytes and is refused.
 */
import { fileTypeFromBuffer } from 'file-type/core';
import { strFromU8 } from 'fflate';
import { extensionOf } from './attachment-formats.js';
import { ACTIVE_CONTENT_NAMES, INSTALLER_CLASS_IDS, isCompoundFile, readCompoundFileDirectory } from './compound-file.js';
import { archiveFormatOf, isDiskImage, isShortcut } from './container-signatures.js';
import type { DangerousKind } from './dangerous-names.js';
import { dangerousExtension } from './dangerous-names.js';
import { startsWithShebang } from './plain-text.js';
import { startsWithProgramSignature } from './program-signatures.js';
import type { ZipEntry } from './zip-reader.js';
import { gunzipWithin, readTar } from './tar-gzip-reader.js';
import { readZipDirectory, readZipEntry } from './zip-reader.js';

export interface InspectionLimits {
  /** Archives inside archives: how many levels are opened (the file itself is the first). */
  readonly maxDepth: number;
  /** Entries of every archive opened, together. */
  readonly maxEntries: number;
  /** Bytes unpacked from every archive opened, together. */
  readonly maxUnpackedBytes: number;
}

export const DEFAULT_INSPECTION_LIMITS: InspectionLimits = { maxDepth: 5, maxEntries: 10_000, maxUnpackedBytes: 200 * 1024 * 1024 };

export interface InspectionPolicy {
  /** Let an archive that cannot be opened through (the safety policy sets it when the scanner must find it clean). */
  readonly allowUninspectable: boolean;
  readonly limits: InspectionLimits;
}

export interface Uninspected {
  /** Entry names from the outer file in: `[]` is the file itself. */
  readonly path: readonly string[];
  readonly format: string;
  readonly why: 'format' | 'encrypted' | 'unsupported' | 'damaged';
}

export type FindingKind = DangerousKind | 'uninspectable' | 'too_large';

/** What the inspection found, and where: thrown, and turned into a refusal by the caller. */
export class InspectionFinding extends Error {
  constructor(
    readonly kind: FindingKind,
    readonly path: readonly string[],
    readonly detail: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${kind} at ${path.join('/') || 'the file itself'}`);
    this.name = 'InspectionFinding';
  }
}

/** Detected types that run, install or script something when opened. */
const DETECTED_KINDS = new Map<string, DangerousKind>([
  ...[
    'application/x-msdownload',
    'application/x-elf',
    'application/x-mach-binary',
    'application/java-vm',
    'application/java-archive',
    'application/vnd.android.package-archive',
    'application/wasm',
    'application/x-deb',
    'application/x-rpm',
    'application/x-google-chrome-extension',
    'application/x-xpinstall',
    'application/x-shockwave-flash',
    'application/x-ms-regedit',
    'application/vnd.ms-htmlhelp',
    'application/x-asar',
    'application/vnd.ms-cab-compressed',
    'application/x-ms-installer',
  ].map((mime) => [mime, 'program'] as const),
  ...['application/x-apple-diskimage', 'application/x-iso9660-image', 'application/x-vhd', 'application/x-vhdx'].map((mime) => [mime, 'disk_image'] as const),
  ['application/x.ms.shortcut', 'shortcut'],
]);

/** Archive types the detector names that this code does not open. */
const DETECTED_ARCHIVES = new Set([
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-7z-compressed',
  'application/gzip',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
  'application/x-lzip',
  'application/x-tar',
  'application/x-arj',
  'application/x-lzh-compressed',
  'application/x-ace-compressed',
  'application/x-cpio',
  'application/x-compress',
  'application/x-unix-archive',
  'application/x-lz4',
  'application/x-stuffit',
  'application/x-alz-compressed',
]);

interface Walk {
  readonly policy: InspectionPolicy;
  entries: number;
  remainingBytes: number;
  readonly uninspected: Uninspected[];
}

/** What `file-type` makes of the bytes: its usual extension (no dot) and MIME type. */
export interface DetectedType {
  readonly extension: string;
  readonly mimeType: string;
}

export interface InspectedFile {
  /** Undefined when the detector names nothing (text, or bytes of no known type). */
  readonly detected: DetectedType | undefined;
  readonly uninspected: readonly Uninspected[];
}

/** Throws `InspectionFinding`; returns what the detector saw and what could not be opened (when the policy allows it). */
export async function inspectFile(bytes: Uint8Array, filename: string | null | undefined, policy: InspectionPolicy): Promise<InspectedFile> {
  const walk: Walk = { policy, entries: 0, remainingBytes: policy.limits.maxUnpackedBytes, uninspected: [] };
  const detected = await inspect(bytes, filename ?? '', [], 0, walk);
  return { detected, uninspected: walk.uninspected };
}

export async function detectType(bytes: Uint8Array): Promise<DetectedType | undefined> {
  try {
    const type = await fileTypeFromBuffer(bytes);
    return type === undefined ? undefined : { extension: type.ext, mimeType: type.mime };
  } catch {
    // A structure the detector cannot walk is not a file we can vouch for.
    return { extension: '', mimeType: 'application/octet-stream' };
  }
}

async function inspect(bytes: Uint8Array, name: string, path: readonly string[], depth: number, walk: Walk): Promise<DetectedType | undefined> {
  const named = name === '' ? undefined : dangerousExtension(extensionOf(name));
  if (named !== undefined) throw new InspectionFinding(named, path, { by: 'name' });
  if (startsWithProgramSignature(bytes) || startsWithShebang(bytes)) throw new InspectionFinding('program', path);
  const type = await detectType(bytes);
  const detected = type?.mimeType;
  const detectedKind = detected === undefined ? undefined : DETECTED_KINDS.get(detected);
  if (detectedKind !== undefined) throw new InspectionFinding(detectedKind, path, { detected });
  if (detected?.toLowerCase().includes('macroenabled') === true) throw new InspectionFinding('macros', path, { detected });
  if (isDiskImage(bytes)) throw new InspectionFinding('disk_image', path);
  if (isShortcut(bytes)) throw new InspectionFinding('shortcut', path);
  if (isCompoundFile(bytes)) inspectCompoundFile(bytes, path);

  const format = archiveFormatOf(bytes);
  const zip = format === 'zip' || format === undefined ? readZipDirectory(bytes) : undefined;
  if (zip !== undefined) {
    if (depth >= walk.policy.limits.maxDepth) throw new InspectionFinding('too_large', path, { limit: 'depth' });
    await walkZip(bytes, zip, path, depth, walk);
  } else if (format === 'zip') {
    uninspectable(walk, { path, format: 'zip', why: 'damaged' });
  } else if (format === 'gzip' || format === 'tar') {
    if (depth >= walk.policy.limits.maxDepth) throw new InspectionFinding('too_large', path, { limit: 'depth' });
    await (format === 'gzip' ? walkGzip(bytes, name, path, depth, walk) : walkTar(bytes, path, depth, walk));
  } else if (format !== undefined) {
    uninspectable(walk, { path, format, why: 'format' });
  } else if (detected !== undefined && DETECTED_ARCHIVES.has(detected)) {
    uninspectable(walk, { path, format: detected, why: 'format' });
  }
  return type;
}

function inspectCompoundFile(bytes: Uint8Array, path: readonly string[]): void {
  const directory = readCompoundFileDirectory(bytes);
  if (directory === undefined) return;
  if (INSTALLER_CLASS_IDS.has(directory.rootClassId)) throw new InspectionFinding('program', path, { installer: true });
  // An embedded package (Ole10Native) carries a file of its own, often a program; VBA storages are macros.
  if (directory.names.has('\u0001Ole10Native')) throw new InspectionFinding('program', path, { embedded: true });
  if (ACTIVE_CONTENT_NAMES.some((storage) => directory.names.has(storage))) throw new InspectionFinding('macros', path);
}

function uninspectable(walk: Walk, found: Uninspected): void {
  if (!walk.policy.allowUninspectable) throw new InspectionFinding('uninspectable', found.path, { format: found.format, why: found.why });
  walk.uninspected.push(found);
}

const baseName = (name: string) => name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).toLowerCase();

async function walkZip(bytes: Uint8Array, entries: readonly ZipEntry[], path: readonly string[], depth: number, walk: Walk): Promise<void> {
  walk.entries += entries.length;
  if (walk.entries > walk.policy.limits.maxEntries) throw new InspectionFinding('too_large', path, { limit: 'entries' });
  // An Office Open XML document with a VBA project is macro-enabled, whatever its name and content types say.
  if (entries.some((entry) => baseName(entry.name) === 'vbaproject.bin')) throw new InspectionFinding('macros', path);
  // The names first: an archive shows them even when its entries are locked.
  for (const entry of entries) {
    const named = dangerousExtension(extensionOf(entry.name));
    if (named !== undefined) throw new InspectionFinding(named, [...path, entry.name], { by: 'name' });
  }
  for (const entry of entries.filter((each) => each.encrypted)) uninspectable(walk, { path: [...path, entry.name], format: 'zip', why: 'encrypted' });
  for (const entry of entries) {
    if (entry.encrypted || entry.name.endsWith('/')) continue;
    const entryPath = [...path, entry.name];
    const read = readZipEntry(bytes, entry, walk.remainingBytes);
    if (!read.ok) {
      if (read.why === 'too_large') throw new InspectionFinding('too_large', entryPath, { limit: 'bytes' });
      uninspectable(walk, { path: entryPath, format: 'zip', why: read.why });
      continue;
    }
    walk.remainingBytes -= read.bytes.length;
    if (baseName(entry.name) === '[content_types].xml' && /macroenabled|vbaproject/i.test(strFromU8(read.bytes, true))) {
      throw new InspectionFinding('macros', path);
    }
    await inspect(read.bytes, entry.name, entryPath, depth + 1, walk);
  }
}

/** What a gzip file holds is one file, named as the gzip without its suffix (`.tgz` holds a `.tar`). */
async function walkGzip(bytes: Uint8Array, name: string, path: readonly string[], depth: number, walk: Walk): Promise<void> {
  const read = gunzipWithin(bytes, walk.remainingBytes);
  if (!read.ok) {
    if (read.why === 'too_large') throw new InspectionFinding('too_large', path, { limit: 'bytes' });
    uninspectable(walk, { path, format: 'gzip', why: read.why });
    return;
  }
  walk.remainingBytes -= read.bytes.length;
  const base = baseName(name);
  const inner = base.endsWith('.tgz') ? `${base.slice(0, -4)}.tar` : base.endsWith('.gz') ? base.slice(0, -3) : 'contents';
  walk.entries += 1;
  if (walk.entries > walk.policy.limits.maxEntries) throw new InspectionFinding('too_large', path, { limit: 'entries' });
  await inspect(read.bytes, inner, [...path, inner], depth + 1, walk);
}

async function walkTar(bytes: Uint8Array, path: readonly string[], depth: number, walk: Walk): Promise<void> {
  const entries = readTar(bytes);
  if (entries === undefined) return uninspectable(walk, { path, format: 'tar', why: 'damaged' });
  walk.entries += entries.length;
  if (walk.entries > walk.policy.limits.maxEntries) throw new InspectionFinding('too_large', path, { limit: 'entries' });
  for (const entry of entries) {
    const named = dangerousExtension(extensionOf(entry.name));
    if (named !== undefined) throw new InspectionFinding(named, [...path, entry.name], { by: 'name' });
  }
  for (const entry of entries) {
    // Files only: folders and links have no bytes of their own.
    if (entry.type === '0' || entry.type === '7') await inspect(entry.bytes, entry.name, [...path, entry.name], depth + 1, walk);
  }
}
