/**
 * Whether the type a file claims (its name's extension, its declared MIME type) is what its
 * bytes are, for any file, not only those WhatsApp sends (attachment-formats.ts holds those
 * stricter rules). A claim this code cannot judge (an extension or type the detector does not
 * know) is not refused here: the bytes are still inspected for what they hold.
 */
import { supportedExtensions, supportedMimeTypes } from 'file-type/core';
import { formatOfExtension, formatOfMimeType } from './attachment-formats.js';
import { readCompoundFileDirectory } from './compound-file.js';
import type { DetectedType } from './file-inspection.js';
import { isPlainText } from './plain-text.js';

const TEXT_EXTENSIONS = new Set(['.txt', '.csv', '.tsv', '.log', '.md']);
const TEXT_MIME_TYPES = new Set(['text/plain', 'text/csv', 'text/tab-separated-values', 'text/markdown']);

const OOXML = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];

/** Names and types that are one container to the detector: each group's members match each other. */
const EXTENSION_GROUPS: ReadonlyArray<readonly string[]> = [
  ['jpg', 'jpeg', 'jpe', 'jfif'],
  ['tif', 'tiff'],
  ['mp4', 'm4a', 'm4v', 'm4b', 'm4p', 'mov', 'qt', '3gp', '3g2', 'f4v', 'f4a', 'f4b', 'f4p'],
  ['ogg', 'oga', 'ogv', 'ogx', 'opus', 'spx'],
  ['mkv', 'mka', 'webm'],
  ['mpg', 'mpeg'],
  // The detector looks into a gzip: one holding a tar is `tar.gz` to it.
  ['gz', 'tgz', 'tar.gz'],
  ['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'odg', 'epub', 'xps', 'oxps', '3mf'],
];

const MIME_GROUPS: ReadonlyArray<readonly string[]> = [
  ['image/jpeg', 'image/pjpeg'],
  ['video/mp4', 'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'video/x-m4v', 'video/quicktime', 'video/3gpp', 'audio/3gpp', 'video/3gpp2', 'audio/3gpp2'],
  ['audio/ogg', 'audio/opus', 'video/ogg', 'application/ogg'],
  ['audio/aac', 'audio/aacp', 'audio/x-aac'],
  ['audio/mpeg', 'audio/mp3'],
  ['audio/amr', 'audio/amr-nb'],
  ['application/zip', 'application/x-zip-compressed', ...OOXML],
];

/** `photo.JPG` claims the extension `jpg`; does a detected one belong with it? */
function sameGroup(groups: ReadonlyArray<readonly string[]>, claimed: string, detected: string): boolean {
  return claimed === detected || groups.some((group) => group.includes(claimed) && group.includes(detected));
}

export interface Claim {
  /** Lower case, with the dot (`.pdf`), or '' when the name has none. */
  readonly extension: string;
  /** Without parameters (`audio/ogg`), or '' when none was declared. */
  readonly mimeType: string;
}

export function claimMatchesBytes(claim: Claim, bytes: Uint8Array, detected: DetectedType | undefined): boolean {
  if (TEXT_EXTENSIONS.has(claim.extension) || TEXT_MIME_TYPES.has(claim.mimeType)) return isPlainText(bytes);
  const extension = claim.extension.replace(/^\./, '');
  if (extension !== '' && supportedExtensions.has(extension)) {
    if (detected === undefined || !sameGroup(EXTENSION_GROUPS, extension, detected.extension)) return false;
  }
  if (claim.mimeType !== '' && claim.mimeType !== 'application/octet-stream' && supportedMimeTypes.has(claim.mimeType)) {
    const detectedBase = detected?.mimeType.split(';')[0]?.trim() ?? '';
    if (!sameGroup(MIME_GROUPS, claim.mimeType, detectedBase)) return false;
  }
  // Old Office files have no magic number of their own (an OLE container): the formats' rules judge them.
  const format = formatOfExtension(claim.extension) ?? formatOfMimeType(claim.mimeType);
  const rule = format?.content;
  if (rule?.kind === 'compound') {
    const directory = readCompoundFileDirectory(bytes);
    return directory !== undefined && rule.streams.some((stream) => directory.names.has(stream));
  }
  return true;
}
