/**
 * Writes a file the user asked main to save (an export) where they chose in the save dialog: the
 * bytes go to a file beside it first and then take its name, so a failed write never leaves half a
 * file under the chosen name, and a file that was there stays whole until the new one is complete.
 * Readable by the user alone: an export holds the company's figures.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CodedError } from '../../common/errors/coded-error.js';

export async function writeChosenFile(filePath: string, bytes: Uint8Array): Promise<void> {
  const partial = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${crypto.randomUUID()}.part`);
  try {
    await fs.writeFile(partial, bytes, { mode: 0o600, flag: 'wx' });
    await fs.rename(partial, filePath);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw new CodedError('file_not_saved', `“${path.basename(filePath)}” could not be saved there. Choose another folder and try again.`, undefined, {
      cause: error,
    });
  }
}
