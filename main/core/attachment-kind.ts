/**
 * What kind of WhatsApp media a picked file is, from its name and its first bytes. The server
 * checks the type against WhatsApp's list again; this picks the MIME type to declare.
 */
import path from 'node:path';
import { CodedError } from '../../common/errors/coded-error.js';
import type { MediaKind } from '../../common/attachments/media-limits.js';

const BY_EXTENSION: Readonly<Record<string, { kind: MediaKind; mimeType: string }>> = {
  '.jpg': { kind: 'image', mimeType: 'image/jpeg' },
  '.jpeg': { kind: 'image', mimeType: 'image/jpeg' },
  '.png': { kind: 'image', mimeType: 'image/png' },
  '.webp': { kind: 'sticker', mimeType: 'image/webp' },
  '.mp4': { kind: 'video', mimeType: 'video/mp4' },
  '.3gp': { kind: 'video', mimeType: 'video/3gpp' },
  '.mp3': { kind: 'audio', mimeType: 'audio/mpeg' },
  '.m4a': { kind: 'audio', mimeType: 'audio/mp4' },
  '.aac': { kind: 'audio', mimeType: 'audio/aac' },
  '.ogg': { kind: 'audio', mimeType: 'audio/ogg' },
  '.amr': { kind: 'audio', mimeType: 'audio/amr' },
  '.pdf': { kind: 'document', mimeType: 'application/pdf' },
  '.txt': { kind: 'document', mimeType: 'text/plain' },
  '.doc': { kind: 'document', mimeType: 'application/msword' },
  '.docx': { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  '.xls': { kind: 'document', mimeType: 'application/vnd.ms-excel' },
  '.xlsx': { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  '.ppt': { kind: 'document', mimeType: 'application/vnd.ms-powerpoint' },
  '.pptx': { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
};

/** Magic numbers that must match the name's claim, so a renamed program is not sent as a photo. */
const SIGNATURES: ReadonlyArray<{ mimeType: string; matches: (bytes: Uint8Array) => boolean }> = [
  { mimeType: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mimeType: 'image/png', matches: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { mimeType: 'image/webp', matches: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { mimeType: 'application/pdf', matches: (b) => ascii(b, 0, 5) === '%PDF-' },
];

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function isExecutable(bytes: Uint8Array): boolean {
  return (bytes[0] === 0x4d && bytes[1] === 0x5a) || ascii(bytes, 0, 4) === '\x7fELF' || (bytes[0] === 0xcf && bytes[1] === 0xfa && bytes[2] === 0xed && bytes[3] === 0xfe) || ascii(bytes, 0, 2) === '#!';
}

export function attachmentKind(filename: string, bytes: Uint8Array): { kind: MediaKind; mimeType: string } {
  const known = BY_EXTENSION[path.extname(filename).toLowerCase()];
  if (known === undefined) throw new CodedError('attachment_type_not_allowed', `${path.extname(filename) || 'Files without an extension'} cannot be sent on WhatsApp. Send a photo, video, audio, PDF or Office document.`);
  if (isExecutable(bytes)) throw new CodedError('attachment_is_program', 'This file is a program or script, whatever its name says: it cannot be sent.');
  const signature = SIGNATURES.find((candidate) => candidate.mimeType === known.mimeType);
  if (signature !== undefined && !signature.matches(bytes)) {
    throw new CodedError('attachment_content_mismatch', `This file is not really a ${path.extname(filename).slice(1).toUpperCase()}: its contents do not match its name.`);
  }
  return known;
}
