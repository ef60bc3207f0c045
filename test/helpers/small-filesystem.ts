/**
 * A filesystem of a few megabytes (tmpfs) that a test fills up to see what the server does when
 * its disk is full, then empties again: real ENOSPC from the kernel, for SQLite's files or a
 * PostgreSQL tablespace. Mounting needs root (CI runs as root; .ci/run installs packages with
 * apt-get); without it the test fails saying so rather than pretending.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SmallFilesystem {
  readonly dir: string;
  /** Writes a filler file until the filesystem has no space left; returns its path. */
  fill(): string;
  /** Deletes what `fill` wrote: the space is back. */
  free(): void;
  remove(): void;
}

export function mountSmallFilesystem(megabytes: number): SmallFilesystem {
  if (process.getuid?.() !== 0) throw new Error('mounting a small tmpfs for the disk-full test needs root (CI runs as root)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-small-fs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0755`, 'tmpfs', dir]);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      try {
        // Big chunks first, then pages, until the kernel has nothing left to give.
        for (const size of [256 * 1024, 4096]) {
          const chunk = Buffer.alloc(size, 0x5a);
          try {
            for (;;) fs.writeSync(fd, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
      return filler;
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    remove() {
      try {
        execFileSync('umount', ['-l', dir]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
