/**
 * A backup archive read with the wrong key, with one byte changed, cut short, with two records
 * or two parts swapped, or with its manifest changed: `verify` says which with a stable code, and
 * `restore` restores nothing (the target stays empty). A restore also refuses a target that is
 * not empty, whatever the archive.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partFile, readManifest, archiveKey } from '../../server/backup/archive-format.js';
import { RECORD_BYTES } from '../../server/backup/sealed-records.js';
import { MediaStore } from '../../server/media/media-store.js';
import { loadServerKey } from '../../server/secrets/server-key.js';
import { openDatabase } from '../../server/store/open-database.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TEST_STORE, testDatabaseUrl } from '../helpers/test-store.js';
import { cli, cliJson, newBackupKey, storeEnv } from './backup-cli.js';

const KEY = newBackupKey();

describe(`a backup archive refuses tampering (${TEST_STORE})`, () => {
  const source = makeTempDir('sportello-tamper-source-');
  const archives = makeTempDir('sportello-tamper-archives-');
  const targets = makeTempDir('sportello-tamper-targets-');
  let pristine: string;
  let mediaPart: number;
  let targetCount = 0;

  beforeAll(async () => {
    const database = await openDatabase(source.dir, await testDatabaseUrl(source.dir));
    await database.close();
    loadServerKey(undefined, source.dir);
    // Three records: two full ones and a short last one.
    await new MediaStore(source.dir).writeBytes(Buffer.alloc(2 * RECORD_BYTES + 1000, 7), 16 * 1024 * 1024);
    await new MediaStore(source.dir).writeBytes(Buffer.from('a second, small file'), 1024);
    const created = await cliJson<{ path: string }>(await storeEnv(source.dir, { SPORTELLO_BACKUP_KEY: KEY, SPORTELLO_BACKUP_DIR: archives.dir }), [
      'backup',
      'create',
    ]);
    pristine = created.path;
    const { header, key } = archiveKey(pristine, Buffer.from(KEY, 'base64'));
    const manifest = await readManifest(pristine, key, header);
    mediaPart = manifest.parts.find((part) => part.kind === 'media' && part.size > RECORD_BYTES)!.index;
  });
  afterAll(() => [source, archives, targets].forEach((dir) => dir.remove()));

  /** A copy of the archive, changed by `change`. */
  function changedCopy(change: (dir: string) => void): string {
    const copy = path.join(archives.dir, `changed-${targetCount++}`);
    fs.cpSync(pristine, copy, { recursive: true });
    change(copy);
    return copy;
  }

  /** verify's one line, and restore's: the same code, and nothing restored. */
  async function refused(archive: string, key = KEY): Promise<string> {
    const verified = await cli(await storeEnv(source.dir, { SPORTELLO_BACKUP_KEY: key }), ['backup', 'verify', archive]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toBe('');
    const target = path.join(targets.dir, `target-${targetCount++}`);
    const restored = await cli(await storeEnv(target, { SPORTELLO_BACKUP_KEY: key }), ['backup', 'restore', archive]);
    expect(restored.code).toBe(1);
    expect(restored.stderr.split(' ')[1]).toBe(verified.stderr.split(' ')[1]);
    expect(fs.existsSync(target)).toBe(false);
    const url = await testDatabaseUrl(target);
    if (url !== undefined) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const tables = await client.query("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
      await client.end();
      expect(tables.rows[0]).toEqual({ n: 0 });
    }
    return verified.stderr.trim();
  }

  it('verifies as made, and restores', async () => {
    const verified = await cli(await storeEnv(source.dir, { SPORTELLO_BACKUP_KEY: KEY }), ['backup', 'verify', pristine]);
    expect(verified, verified.stderr).toMatchObject({ code: 0, stderr: '' });
  });

  it('refuses another key, naming it', async () => {
    expect(await refused(pristine, newBackupKey())).toMatch(/^error \[backup_key_wrong\]: The backup key does not open sportello-backup-/);
  });

  it('refuses one changed byte in a media part', async () => {
    const copy = changedCopy((dir) => {
      const file = path.join(dir, partFile(mediaPart));
      const bytes = fs.readFileSync(file);
      bytes[RECORD_BYTES + 100] = bytes[RECORD_BYTES + 100]! ^ 1;
      fs.writeFileSync(file, bytes);
    });
    expect(await refused(copy)).toMatch(/^error \[backup_tampered\]: The backup's part media\/.* does not authenticate/);
  });

  it('refuses a part cut short, at a record boundary and inside a record', async () => {
    const sealedRecord = 4 + RECORD_BYTES + 16;
    for (const keep of [2 * sealedRecord, sealedRecord + 10]) {
      const copy = changedCopy((dir) => fs.truncateSync(path.join(dir, partFile(mediaPart)), keep));
      expect(await refused(copy)).toMatch(/^error \[backup_truncated\]: The backup's part media\/.* ends too early/);
    }
  });

  it('refuses two records swapped, and two parts swapped', async () => {
    const sealedRecord = 4 + RECORD_BYTES + 16;
    const swappedRecords = changedCopy((dir) => {
      const file = path.join(dir, partFile(mediaPart));
      const bytes = fs.readFileSync(file);
      fs.writeFileSync(
        file,
        Buffer.concat([bytes.subarray(sealedRecord, 2 * sealedRecord), bytes.subarray(0, sealedRecord), bytes.subarray(2 * sealedRecord)]),
      );
    });
    expect(await refused(swappedRecords)).toMatch(/^error \[backup_tampered\]/);
    const swappedParts = changedCopy((dir) => {
      const other = mediaPart === 2 ? 3 : 2;
      const a = fs.readFileSync(path.join(dir, partFile(mediaPart)));
      fs.copyFileSync(path.join(dir, partFile(other)), path.join(dir, partFile(mediaPart)));
      fs.writeFileSync(path.join(dir, partFile(other)), a);
    });
    expect(await refused(swappedParts)).toMatch(/^error \[backup_tampered\]/);
  });

  it('refuses a changed manifest, a changed header and a missing part', async () => {
    const manifest = changedCopy((dir) => {
      const file = path.join(dir, 'manifest.sealed');
      const bytes = fs.readFileSync(file);
      bytes[10] = bytes[10]! ^ 0x20;
      fs.writeFileSync(file, bytes);
    });
    expect(await refused(manifest)).toMatch(/^error \[backup_tampered\]: The backup's part manifest.sealed does not authenticate/);
    const header = changedCopy((dir) => {
      const file = path.join(dir, 'archive.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { createdAt: number };
      fs.writeFileSync(file, JSON.stringify({ ...json, createdAt: json.createdAt + 1 }));
    });
    expect(await refused(header)).toMatch(/^error \[backup_key_wrong\]/);
    const missing = changedCopy((dir) => fs.rmSync(path.join(dir, partFile(mediaPart))));
    expect(await refused(missing)).toMatch(/^error \[backup_truncated\]: The backup is missing its part media\//);
  });

  it('restores only into an empty data dir and an empty database', async () => {
    const full = path.join(targets.dir, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'notes.txt'), 'keep me');
    const intoFull = await cli(await storeEnv(full, { SPORTELLO_BACKUP_KEY: KEY }), ['backup', 'restore', pristine]);
    expect(intoFull).toMatchObject({ code: 1, stdout: '' });
    expect(intoFull.stderr).toMatch(/^error \[restore_target_not_empty\]: The data dir .* is not empty/);
    expect(fs.readdirSync(full)).toEqual(['notes.txt']);
    const sourceUrl = await testDatabaseUrl(source.dir);
    if (sourceUrl !== undefined) {
      const emptyDir = path.join(targets.dir, 'empty-dir-full-database');
      const env = { ...(await storeEnv(emptyDir, { SPORTELLO_BACKUP_KEY: KEY })), SPORTELLO_DATABASE_URL: sourceUrl };
      const intoUsedDatabase = await cli(env, ['backup', 'restore', pristine]);
      expect(intoUsedDatabase.stderr).toMatch(/^error \[restore_target_not_empty\]: The database .* has tables/);
      expect(fs.existsSync(emptyDir)).toBe(false);
    }
  });
});
