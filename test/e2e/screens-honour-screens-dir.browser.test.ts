/**
 * `npm run screens` writes where SCREENS_DIR says, so it can run without touching the tracked
 * docs/screens/: the same screens land in the folder named, and docs/screens/ is byte for byte as
 * it was. The run's temporary directory is its own, and removed.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { PROJECT_ROOT } from './harness/build-renderer.js';
import { DEFAULT_SCREENS_DIR } from './harness/screens-dir.js';

const temp = makeTempDir('sportello-screens-dir-');
afterAll(() => temp.remove());

/** Each file's name and the SHA-256 of its bytes. */
function fingerprints(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((name) => [
        name,
        crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(dir, name)))
          .digest('hex'),
      ]),
  );
}

describe('npm run screens', () => {
  it('writes every screen into SCREENS_DIR and leaves docs/screens/ untouched', () => {
    const tracked = fingerprints(DEFAULT_SCREENS_DIR);
    const chosen = path.join(temp.dir, 'screens');
    const childTemp = path.join(temp.dir, 'tmp');
    fs.mkdirSync(childTemp);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/e2e/capture-screens.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SCREENS_DIR: chosen, TMPDIR: childTemp },
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(fingerprints(DEFAULT_SCREENS_DIR)).toEqual(tracked);
    // The same screens as the tracked set, every one a PNG.
    const written = fs.readdirSync(chosen).sort();
    expect(written).toEqual(Object.keys(tracked));
    for (const name of written) expect(fs.readFileSync(path.join(chosen, name)).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  }, 660_000);
});
