/**
 * The files Sportello sends, one entry per MIME type WhatsApp accepts (media-limits.ts): the
 * media kind it goes as, the file-name extensions it may carry, and what the detector
 * (`file-type`, by magic numbers) must report for bytes that really are of this type.
 */
import type { MediaKind } from './media-limits.js';

/** What the bytes must turn out to be, beyond the magic numbers. */
export type ContentRule =
  /** The detector names one of these MIME types. */
  | { readonly kind: 'detected'; readonly mimeTypes: readonly string[] }
  /** No magic number: text, judged by its characters (plain-text.ts). */
  | { readonly kind: 'text' }
  /** An OLE compound file (old Office) holding one of these streams (compound-file.ts). */
  | { readonly kind: 'compound'; readonly streams: readonly string[] };

export interface AttachmentFormat {
  readonly mimeType: string;
  readonly kind: MediaKind;
  /** Lower case, with the dot; the first is the usual one. */
  readonly extensions: readonly string[];
  readonly content: ContentRule;
}

const detected = (...mimeTypes: string[]): ContentRule => ({ kind: 'detected', mimeTypes });

export const ATTACHMENT_FORMATS: readonly AttachmentFormat[] = [
  { mimeType: 'image/jpeg', kind: 'image', extensions: ['.jpg', '.jpeg'], content: detected('image/jpeg') },
  // An animated PNG is a PNG to every reader that does not animate it.
  { mimeType: 'image/png', kind: 'image', extensions: ['.png'], content: detected('image/png', 'image/apng') },
  { mimeType: 'image/webp', kind: 'sticker', extensions: ['.webp'], content: detected('image/webp') },
  { mimeType: 'video/mp4', kind: 'video', extensions: ['.mp4'], content: detected('video/mp4', 'video/x-m4v') },
  { mimeType: 'video/3gpp', kind: 'video', extensions: ['.3gp'], content: detected('video/3gpp') },
  { mimeType: 'audio/mpeg', kind: 'audio', extensions: ['.mp3'], content: detected('audio/mpeg') },
  // The same MP4 container: brand M4A, M4B, or a generic brand the detector calls video.
  { mimeType: 'audio/mp4', kind: 'audio', extensions: ['.m4a', '.mp4'], content: detected('audio/x-m4a', 'audio/mp4', 'video/mp4') },
  { mimeType: 'audio/aac', kind: 'audio', extensions: ['.aac'], content: detected('audio/aac') },
  // WhatsApp plays Ogg with the Opus codec only (voice notes); Vorbis is refused by Meta.
  { mimeType: 'audio/ogg', kind: 'audio', extensions: ['.ogg', '.opus'], content: detected('audio/ogg; codecs=opus') },
  { mimeType: 'audio/amr', kind: 'audio', extensions: ['.amr'], content: detected('audio/amr') },
  { mimeType: 'application/pdf', kind: 'document', extensions: ['.pdf'], content: detected('application/pdf') },
  { mimeType: 'text/plain', kind: 'document', extensions: ['.txt'], content: { kind: 'text' } },
  { mimeType: 'application/msword', kind: 'document', extensions: ['.doc'], content: { kind: 'compound', streams: ['WordDocument'] } },
  {
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    kind: 'document',
    extensions: ['.docx'],
    content: detected('application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
  },
  { mimeType: 'application/vnd.ms-excel', kind: 'document', extensions: ['.xls'], content: { kind: 'compound', streams: ['Workbook', 'Book'] } },
  {
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    kind: 'document',
    extensions: ['.xlsx'],
    content: detected('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
  },
  { mimeType: 'application/vnd.ms-powerpoint', kind: 'document', extensions: ['.ppt'], content: { kind: 'compound', streams: ['PowerPoint Document'] } },
  {
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    kind: 'document',
    extensions: ['.pptx'],
    content: detected('application/vnd.openxmlformats-officedocument.presentationml.presentation'),
  },
];

/** `Report.Final.PDF` → `.pdf`; '' when the name has no extension. */
export function extensionOf(filename: string): string {
  const base = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

export function formatOfMimeType(mimeType: string): AttachmentFormat | undefined {
  return ATTACHMENT_FORMATS.find((format) => format.mimeType === mimeType);
}

export function formatOfExtension(extension: string): AttachmentFormat | undefined {
  return ATTACHMENT_FORMATS.find((format) => format.extensions.includes(extension));
}
