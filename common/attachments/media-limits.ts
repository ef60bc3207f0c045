/**
 * WhatsApp Cloud API media types and size limits (../shared/docs/cloud-api.md §6, restating Meta's table).
 * Shared: the server enforces them on downloads and uploads, the client checks a file before it
 * offers to send it.
 */
export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

const MB = 1024 * 1024;
const KB = 1024;

/** Anything a customer sends is refused above this size, whatever its kind. */
export const MAX_INBOUND_MEDIA_BYTES = 100 * MB;

interface MediaKindLimits {
  /** MIME types (without parameters) Meta accepts for sending this kind. */
  readonly sendableMimeTypes: readonly string[];
  readonly maxBytes: number;
}

export const MEDIA_LIMITS: Readonly<Record<MediaKind, MediaKindLimits>> = {
  image: { sendableMimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  video: { sendableMimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  audio: {
    sendableMimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
    maxBytes: 16 * MB,
  },
  document: {
    sendableMimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
  sticker: { sendableMimeTypes: ['image/webp'], maxBytes: 100 * KB },
};

/** Animated stickers may be larger than static ones. */
export const MAX_ANIMATED_STICKER_BYTES = 500 * KB;

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** The largest file of this kind the Cloud API handles. */
export function maxBytesFor(kind: MediaKind, options: { animated?: boolean } = {}): number {
  if (kind === 'sticker' && options.animated === true) return MAX_ANIMATED_STICKER_BYTES;
  return MEDIA_LIMITS[kind].maxBytes;
}

export function isSendableMimeType(kind: MediaKind, mimeType: string): boolean {
  return MEDIA_LIMITS[kind].sendableMimeTypes.includes(baseMimeType(mimeType));
}
