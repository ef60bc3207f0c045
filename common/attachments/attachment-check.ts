/**
 * The one check of a file to send, run by the desktop client before it uploads and by the server
 * on every upload (and on a forwarded file): the type must be one WhatsApp takes for the kind,
 * the name must not claim another type, the bytes must be what the type says (magic numbers by
 * `file-type`, text by its characters, old Office files by their directory), programs, scripts
 * and macros are refused whatever they are called, and the size must be within WhatsApp's limit.
 */
import type { AttachmentFormat } from './attachment-formats.js';
import { extensionOf, formatOfExtension, formatOfMimeType } from './attachment-formats.js';
import { AttachmentRefused } from './attachment-refusal.js';
import { readCompoundFileDirectory } from './compound-file.js';
import type { Uninspected } from './file-inspection.js';
import type { FileSafetyPolicy } from './file-safety.js';
import { DEFAULT_FILE_SAFETY_POLICY, inspectForSafety } from './file-safety.js';
import type { MediaKind } from './media-limits.js';
import { baseMimeType, isSendableMimeType, MEDIA_KINDS, maxBytesFor } from './media-limits.js';
import { isPlainText } from './plain-text.js';

export type { AttachmentRefusalCode } from './attachment-refusal.js';
export { AttachmentRefused } from './attachment-refusal.js';

export interface CheckedAttachment {
  readonly kind: MediaKind;
  /** Without parameters: `audio/ogg`. */
  readonly mimeType: string;
  /** An animated WebP sticker (larger limit). */
  readonly animated: boolean;
  /** Archives the policy let through unopened: not empty means the file needs a clean scan. */
  readonly uninspected: readonly Uninspected[];
}

const ALLOWED = 'Send a photo (JPEG, PNG), video (MP4, 3GP), audio (MP3, M4A, AAC, AMR, Ogg Opus), sticker (WebP), PDF, text or Office document.';

/** The client's first step: what a picked file is by its name, then the same check as the server. */
export async function checkPickedFile(filename: string, bytes: Uint8Array, policy: FileSafetyPolicy = DEFAULT_FILE_SAFETY_POLICY): Promise<CheckedAttachment> {
  const extension = extensionOf(filename);
  const format = formatOfExtension(extension);
  if (format === undefined) {
    throw new AttachmentRefused(
      'attachment_type_not_allowed',
      `${extension === '' ? 'Files without an extension' : `${extension} files`} cannot be sent on WhatsApp. ${ALLOWED}`,
    );
  }
  return checkAttachment({ kind: format.kind, mimeType: format.mimeType, filename, bytes }, policy);
}

/**
 * Checks a file declared as `kind` and `mimeType` (and, when it has one, named `filename`).
 * Throws `AttachmentRefused`; returns the kind and the MIME type to record.
 */
export async function checkAttachment(
  file: { kind: string; mimeType: string; filename?: string | null; bytes: Uint8Array },
  policy: FileSafetyPolicy = DEFAULT_FILE_SAFETY_POLICY,
): Promise<CheckedAttachment> {
  const mimeType = baseMimeType(file.mimeType);
  if (!(MEDIA_KINDS as readonly string[]).includes(file.kind))
    throw new AttachmentRefused('attachment_type_not_allowed', `${file.kind} is not a kind of media WhatsApp sends. ${ALLOWED}`);
  const kind = file.kind as MediaKind;
  const format = formatOfMimeType(mimeType);
  if (format === undefined || !isSendableMimeType(kind, mimeType)) {
    throw new AttachmentRefused(
      'attachment_type_not_allowed',
      `WhatsApp does not take ${mimeType === '' ? 'files without a type' : mimeType} as ${kind}. ${ALLOWED}`,
    );
  }
  if (file.filename != null) {
    const extension = extensionOf(file.filename);
    if (!format.extensions.includes(extension)) {
      throw new AttachmentRefused(
        'attachment_type_not_allowed',
        `A file named “…${extension}” cannot be sent as ${mimeType}: its name must end in ${format.extensions.join(' or ')}.`,
      );
    }
  }
  const largest = maxBytesFor(kind, { animated: true });
  if (file.bytes.length > largest) throw tooLarge(kind, largest);

  // What the bytes are and hold, by the rule for every file (file-safety.ts), then the type's own rule.
  const { detected, uninspected } = await inspectForSafety(file.bytes, file.filename, policy);
  requireContent(format, file.bytes, detected?.mimeType);
  const animated = mimeType === 'image/webp' && isAnimatedWebp(file.bytes);
  const limit = maxBytesFor(kind, { animated });
  if (file.bytes.length > limit) throw tooLarge(kind, limit);
  return { kind, mimeType, animated, uninspected };
}

function requireContent(format: AttachmentFormat, bytes: Uint8Array, detected: string | undefined): void {
  const rule = format.content;
  let matches: boolean;
  switch (rule.kind) {
    case 'text':
      matches = isPlainText(bytes);
      break;
    case 'compound': {
      const directory = readCompoundFileDirectory(bytes);
      matches = directory !== undefined && rule.streams.some((name) => directory.names.has(name));
      break;
    }
    case 'detected':
      matches = detected !== undefined && rule.mimeTypes.includes(detected);
      break;
  }
  if (!matches) {
    throw new AttachmentRefused(
      'attachment_content_mismatch',
      `This file is not really ${format.extensions[0]?.slice(1).toUpperCase() ?? format.mimeType}: its contents do not match its type.`,
      {
        mimeType: format.mimeType,
      },
    );
  }
}

function tooLarge(kind: MediaKind, limit: number): AttachmentRefused {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / (1024 * 1024))} MB` : `${Math.round(limit / 1024)} KB`;
  return new AttachmentRefused('attachment_too_large', `WhatsApp takes ${kind} files up to ${size}.`, { limit });
}

/** A WebP with the extended header (VP8X) and its animation flag set. */
function isAnimatedWebp(bytes: Uint8Array): boolean {
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  return chunk === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0;
}
