/**
 * The sealed files record which OS secret store sealed them (`sealed-by.json`, beside them), so
 * the shell can start on that store again; they never mix stores, an install sealed before the
 * record existed is recorded when it next opens, and a wipe takes the record with the last file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEALING_RECORD_FILE, readSealingBackend } from '../../main/secrets/sealing-backend.js';
import { SealedFiles } from '../../main/secrets/sealed-files.js';
import { TestKeyring } from '../helpers/node-platform.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((remove) => remove()));

function secretsDir(): string {
  const temp = makeTempDir('sportello-sealed-by-');
  temps.push(temp.remove);
  return path.join(temp.dir, 'secrets');
}

function keyring(backend: string, key = crypto.randomBytes(32)): TestKeyring {
  const store = new TestKeyring(key);
  store.backendName = backend;
  return store;
}

const record = (dir: string) => fs.readFileSync(path.join(dir, SEALING_RECORD_FILE), 'utf8');

describe('the record of the store that sealed a workstation’s secrets', () => {
  it('is written with the first sealed file, as a plain name', () => {
    const dir = secretsDir();
    const files = new SealedFiles(dir, keyring('kwallet5'));
    expect(readSealingBackend(dir)).toBeUndefined();
    files.write('device-key', crypto.randomBytes(48));
    expect(JSON.parse(record(dir))).toEqual({ backend: 'kwallet5' });
    files.write('cache-secret', crypto.randomBytes(32));
    expect(readSealingBackend(dir)).toBe('kwallet5');
  });

  it('refuses to seal a file with another store beside those already sealed, and writes nothing', () => {
    const dir = secretsDir();
    new SealedFiles(dir, keyring('kwallet5')).write('device-key', crypto.randomBytes(48));
    const before = fs.readdirSync(dir).sort();
    expect(() => new SealedFiles(dir, keyring('basic_text')).write('cache-share', crypto.randomBytes(32))).toThrow(
      expect.objectContaining({ code: 'secret_store_changed', message: expect.stringContaining('kwallet5') }),
    );
    expect(fs.readdirSync(dir).sort()).toEqual(before);
    expect(readSealingBackend(dir)).toBe('kwallet5');
  });

  it('says which stores differ when a file cannot be opened by the store in use', () => {
    const dir = secretsDir();
    new SealedFiles(dir, keyring('kwallet5')).write('device-key', crypto.randomBytes(48));
    expect(() => new SealedFiles(dir, keyring('gnome_libsecret')).read('device-key')).toThrow(
      expect.objectContaining({ code: 'secret_store_changed', message: expect.stringMatching(/kwallet5.*gnome_libsecret/) }),
    );
  });

  it('keeps saying the file is unreadable when the same store cannot open it (its key was reset)', () => {
    const dir = secretsDir();
    new SealedFiles(dir, keyring('gnome_libsecret')).write('device-key', crypto.randomBytes(48));
    expect(() => new SealedFiles(dir, keyring('gnome_libsecret')).read('device-key')).toThrow(expect.objectContaining({ code: 'secret_unreadable' }));
  });

  it('is written when an install sealed before it existed next opens a file', () => {
    const dir = secretsDir();
    const key = crypto.randomBytes(32);
    const plain = crypto.randomBytes(48);
    new SealedFiles(dir, keyring('kwallet5', key)).write('device-key', plain);
    fs.unlinkSync(path.join(dir, SEALING_RECORD_FILE));
    expect(Buffer.from(new SealedFiles(dir, keyring('kwallet5', key)).read('device-key') ?? []).equals(plain)).toBe(true);
    expect(readSealingBackend(dir)).toBe('kwallet5');
  });

  it('is not written by a failed open', () => {
    const dir = secretsDir();
    new SealedFiles(dir, keyring('kwallet5')).write('device-key', crypto.randomBytes(48));
    fs.unlinkSync(path.join(dir, SEALING_RECORD_FILE));
    expect(() => new SealedFiles(dir, keyring('basic_text')).read('device-key')).toThrow(expect.objectContaining({ code: 'secret_unreadable' }));
    expect(readSealingBackend(dir)).toBeUndefined();
  });

  it('goes with the last sealed file, so a workstation wiped and paired again may use the store of its new session', () => {
    const dir = secretsDir();
    const files = new SealedFiles(dir, keyring('kwallet5'));
    files.write('device-key', crypto.randomBytes(48));
    files.write('cache-secret', crypto.randomBytes(32));
    files.erase('cache-secret');
    expect(readSealingBackend(dir)).toBe('kwallet5');
    files.erase('device-key');
    expect(fs.readdirSync(dir)).toEqual([]);
    new SealedFiles(dir, keyring('gnome_libsecret')).write('device-key', crypto.randomBytes(48));
    expect(readSealingBackend(dir)).toBe('gnome_libsecret');
  });

  it('that is not a record is a clear error, not a guess', () => {
    const dir = secretsDir();
    const files = new SealedFiles(dir, keyring('kwallet5'));
    files.write('device-key', crypto.randomBytes(48));
    for (const text of ['', '{', '{"backend":"kwallet5","extra":1}', '{"backend":"../../etc"}', '["kwallet5"]']) {
      fs.writeFileSync(path.join(dir, SEALING_RECORD_FILE), text);
      expect(() => files.read('device-key')).toThrow(expect.objectContaining({ code: 'secret_store_record_unreadable' }));
      expect(() => files.write('cache-secret', crypto.randomBytes(32))).toThrow(expect.objectContaining({ code: 'secret_store_record_unreadable' }));
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['device-key.sealed', SEALING_RECORD_FILE]);
  });
});
