/** Writing a small file so that it is either whole on disk or not there at all. */
import crypto from 'node:crypto';
import fs from 'node:fs';

/** Writes `bytes` to a new temp file beside `target` (owner-only), fsyncs it, then renames it into place. */
export function writeFileDurably(target: string, bytes: Uint8Array | string): void {
  const temp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}
