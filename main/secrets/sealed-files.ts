/**
 * Small secrets kept on disk sealed by the OS secret store (safeStorage): the device key, later
 * the cache's local secret and share. Written atomically (temp file, fsync, rename); erased by
 * overwriting before unlinking, so a wiped machine does not keep them in freed blocks of the file.
 * Which store sealed them is recorded beside them (sealing-backend.ts) from the first one on, and
 * none is ever sealed by another store while the others remain.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SecretStore } from '../platform/platform.js';
import { writeFileDurably } from './durable-file.js';
import { eraseSealingRecord, readSealingBackend, recordSealingBackend } from './sealing-backend.js';

const SUFFIX = '.sealed';

/** Where a workstation keeps its sealed files, in the app's user-data directory. */
export function secretsDirOf(userDataDir: string): string {
  return path.join(userDataDir, 'secrets');
}

export class SealedFiles {
  readonly #dir: string;
  readonly #store: SecretStore;

  constructor(dir: string, store: SecretStore) {
    this.#dir = dir;
    this.#store = store;
  }

  #path(name: string): string {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad sealed file name: ${name}`);
    return path.join(this.#dir, `${name}${SUFFIX}`);
  }

  has(name: string): boolean {
    return fs.existsSync(this.#path(name));
  }

  write(name: string, plain: Uint8Array): void {
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const recorded = readSealingBackend(this.#dir);
    const current = this.#store.backend();
    if (recorded !== undefined && recorded !== current) {
      throw new CodedError(
        'secret_store_changed',
        `This workstation's secrets are sealed by ${recorded}, not by ${current}: none is sealed by another store beside them.`,
      );
    }
    writeFileDurably(this.#path(name), this.#store.seal(plain));
    if (recorded === undefined) recordSealingBackend(this.#dir, current);
  }

  /** The plain bytes, or undefined when there is no such file. Throws a coded error when it cannot be opened. */
  read(name: string): Uint8Array | undefined {
    let sealed: Buffer;
    try {
      sealed = fs.readFileSync(this.#path(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const recorded = readSealingBackend(this.#dir);
    let plain: Uint8Array;
    try {
      plain = this.#store.open(sealed);
    } catch (error) {
      const current = this.#store.backend();
      if (recorded !== undefined && recorded !== current) {
        throw new CodedError(
          'secret_store_changed',
          `This workstation's secrets are sealed by ${recorded}, and this session's secret store is ${current}.`,
          undefined,
          { cause: error },
        );
      }
      throw new CodedError(
        'secret_unreadable',
        'A secret of this workstation cannot be opened (the OS keyring changed?): the workstation must be paired again.',
        undefined,
        { cause: error },
      );
    }
    // Sealed before the record existed: the store that just opened it is the one that sealed it.
    if (recorded === undefined) recordSealingBackend(this.#dir, this.#store.backend());
    return plain;
  }

  /** Erases one sealed file; with the last one goes the record of the store that sealed them. */
  erase(name: string): void {
    overwriteAndDelete(this.#path(name));
    if (!this.#anySealed()) eraseSealingRecord(this.#dir);
  }

  #anySealed(): boolean {
    try {
      return fs.readdirSync(this.#dir).some((entry) => entry.endsWith(SUFFIX));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}

/** Overwrites a file's bytes with random data, fsyncs, then deletes it; missing files are fine. */
export function overwriteAndDelete(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    for (let offset = 0; offset < size; offset += chunk.length) {
      crypto.randomFillSync(chunk);
      fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - offset), offset);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.unlinkSync(file);
}
