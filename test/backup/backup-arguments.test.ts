/**
 * `backup …` with a bad argument or setting answers one coded line on stderr, exit code 1, and
 * writes nothing: before the store is opened (arguments), or before anything is read (settings).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE } from '../helpers/test-store.js';
import { cli, newBackupKey, storeEnv } from './backup-cli.js';
import type { CliRun } from './backup-cli.js';

function oneLine(run: CliRun): string {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  return lines[0] ?? '';
}

describe(`backup arguments and settings (${TEST_STORE})`, () => {
  const temp = makeTempDir('sportello-backup-args-');
  const dataDir = path.join(temp.dir, 'data');
  const key = newBackupKey();
  afterAll(() => temp.remove());

  it('names the argument at fault', async () => {
    const env = await storeEnv(dataDir, { SPORTELLO_BACKUP_KEY: key });
    expect(oneLine(await cli(env, ['backup', 'create', '--dir', '  ']))).toBe('error [invalid_argument]: --dir: must name a directory');
    expect(oneLine(await cli(env, ['backup', 'verify', '']))).toBe(
      'error [invalid_argument]: <archive>: must name a backup archive (its name from `backup list`, or its path)',
    );
    expect(oneLine(await cli(env, ['backup', 'restore', 'x', '--previous-data-dir', '']))).toBe(
      'error [invalid_argument]: --previous-data-dir: must name a directory',
    );
    const missing = await cli(env, ['backup', 'verify']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing required argument 'archive'");
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('says which setting is missing or wrong', async () => {
    const noKey = await storeEnv(dataDir, { SPORTELLO_BACKUP_DIR: temp.dir });
    expect(oneLine(await cli(noKey, ['backup', 'verify', 'sportello-backup-20260101T000000000Z']))).toMatch(
      /^error \[backup_key_missing\]: SPORTELLO_BACKUP_KEY is not set/,
    );
    expect(oneLine(await cli(noKey, ['backup', 'restore', 'anything']))).toMatch(/^error \[backup_key_missing\]/);
    const shortKey = await storeEnv(dataDir, { SPORTELLO_BACKUP_KEY: 'c2hvcnQ=' });
    expect(oneLine(await cli(shortKey, ['backup', 'list', '--dir', temp.dir]))).toBe(
      'error [config_invalid]: Configuration error: SPORTELLO_BACKUP_KEY must be 32 random bytes in base64 (openssl rand -base64 32) (from environment).',
    );
    const withKey = await storeEnv(dataDir, { SPORTELLO_BACKUP_KEY: key });
    expect(oneLine(await cli(withKey, ['backup', 'list']))).toBe('error [backup_dir_missing]: No backup directory: set SPORTELLO_BACKUP_DIR or give --dir.');
    expect(oneLine(await cli(withKey, ['backup', 'list', '--dir', path.join(temp.dir, 'nowhere')]))).toMatch(
      /^error \[backup_dir_missing\]: The backup directory .*nowhere does not exist/,
    );
    expect(oneLine(await cli(withKey, ['backup', 'verify', path.join(temp.dir, 'no-such-archive')]))).toMatch(
      /^error \[backup_not_found\]: There is no backup archive/,
    );
    const sameDir = await storeEnv(dataDir, { SPORTELLO_BACKUP_KEY: key, SPORTELLO_BACKUP_DIR: dataDir });
    expect(oneLine(await cli(sameDir, ['backup', 'list']))).toMatch(
      /^error \[config_invalid\]: Configuration error: SPORTELLO_BACKUP_DIR must not be the data dir itself/,
    );
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('lists an empty backup directory as empty', async () => {
    const run = await cli(await storeEnv(dataDir, { SPORTELLO_BACKUP_DIR: temp.dir }), ['backup', 'list']);
    expect(run).toEqual({ code: 0, stdout: 'No backups yet.\n', stderr: '' });
  });
});
