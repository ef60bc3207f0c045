/**
 * Reads the file an agent picked in the native dialog, refusing what WhatsApp could never carry
 * before holding it in memory: nothing larger than Meta's largest media limit (100 MB, documents).
 * What the file is (its bytes, its type) is the core's check, not this one's.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { MEDIA_LIMITS } from '../../common/attachments/media-limits.js';
import { CodedError } from '../../common/errors/coded-error.js';
import type { PickedFile } from '../platform/platform.js';

export const MAX_PICKED_FILE_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((limit) => limit.maxBytes));

function tooLarge(name: string, maxBytes: number): CodedError {
  const megabytes = Math.floor(maxBytes / (1024 * 1024));
  return new CodedError(
    'media_too_large',
    `“${name}” is larger than ${megabytes} MB, the most WhatsApp accepts for a file. Send a smaller file or a link to it.`,
  );
}

export async function readPickedFile(filePath: string, maxBytes: number = MAX_PICKED_FILE_BYTES): Promise<PickedFile> {
  const name = path.basename(filePath);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(filePath, 'r');
  } catch (error) {
    throw new CodedError('attachment_unreadable', `“${name}” cannot be opened.`, undefined, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new CodedError('attachment_unreadable', `“${name}” is not a file.`);
    if (stats.size > maxBytes) throw tooLarge(name, maxBytes);
    const bytes = await handle.readFile();
    // The file may have grown between the check and the read.
    if (bytes.byteLength > maxBytes) throw tooLarge(name, maxBytes);
    return { name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  } finally {
    await handle.close();
  }
}
