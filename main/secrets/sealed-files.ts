/**
 * Small secrets kept on disk sealed by the OS secret store (safeStorage): the device key, later
 * the cache's local secret and share. Written atomically (temp file, fsync, rename); erased by
 * overwriting before unlinking, so a wiped machine does not keep them in freed blocks of the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '../../common/errors/coded-error.js';
import type { SecretStore } from '../platform/platform.js';

const SUFFIX = '.sealed';

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
    const target = this.#path(name);
    const temp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, this.#store.seal(plain));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
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
    try {
      return this.#store.open(sealed);
    } catch (error) {
      throw new CodedError('secret_unreadable', 'A secret of this workstation cannot be opened (the OS keyring changed?): the workstation must be paired again.', undefined, { cause: error });
    }
  }

  erase(name: string): void {
    overwriteAndDelete(this.#path(name));
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
