/**
 * Bad input to the admin CLI: each mistake gets exit code 1 and one line on stderr naming the
 * argument at fault, and the store is left exactly as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir.js';
import { redactedDatabaseUrl } from '../../server/store/open-postgres.js';
import { testDatabaseUrl } from '../helpers/test-store.js';
import { createStore, expectOneLineFailure, identitySnapshot, runAdmin, seedStore } from './admin-cli-process.js';

let temp: ReturnType<typeof makeTempDir>;
beforeAll(async () => {
  temp = makeTempDir();
  await createStore(temp.dir);
  await seedStore(temp.dir, ({ devices, actor }) => devices.allow([{ machineId: 'c'.repeat(64), label: 'Desk' }], actor, 'single'));
});
afterAll(() => temp.remove());

describe('bad arguments', () => {
  it.each([
    [
      'a bad machine id',
      ['devices', 'allow', 'not-a-machine-id', '--label', 'Desk'],
      /^error \[invalid_argument\]: <machineId>: machineId must be 64 lowercase hex characters/,
    ],
    ['an empty label', ['devices', 'allow', 'd'.repeat(64), '--label', ' '], /^error \[invalid_argument\]: --label: label must not be empty$/],
    ['a bad pairing code', ['devices', 'approve', 'HELLO-123', '--yes'], /^error \[invalid_argument\]: <code>: the pairing code must be 8 characters from /],
    ['a bad code to reject', ['devices', 'reject', 'ACDE-FGH'], /^error \[invalid_argument\]: <code>: the pairing code must be 8 characters/],
    [
      'an unknown role',
      ['agents', 'add', 'bruno', '--name', 'Bruno', '--roles', 'agent,root'],
      /^error \[invalid_argument\]: --roles: Invalid option: expected one of "agent"\|"supervisor"\|"admin"$/,
    ],
    ['a bad username', ['agents', 'add', 'bruno rossi', '--name', 'Bruno'], /^error \[invalid_argument\]: <username>: username must be 2 to 64 letters/],
    ['a missing --reason', ['devices', 'revoke', '1'], /^error: required option '--reason <text>' not specified$/],
    ['an empty --reason', ['devices', 'revoke', '1', '--reason', '  '], /^error \[invalid_argument\]: --reason: say why the device is revoked$/],
    ['a device id that is not a number', ['devices', 'revoke', 'desk-1', '--reason', 'lost'], /^error \[invalid_argument\]: <deviceId>: must be a device id/],
    ['an agent that cannot be named', ['agents', 'disable', 'Bad Name!'], /^error \[invalid_argument\]: <agent>: give the agent's id or username/],
    ['a limit out of range', ['audit', 'list', '--limit', '501'], /^error \[invalid_argument\]: --limit: Too big: expected number to be <=500$/],
    ['an unknown command', ['devices', 'destroy'], /^error: unknown command 'destroy'$/],
    ['an unknown option', ['agents', 'list', '--all'], /^error: unknown option '--all'$/],
    ['a missing argument', ['devices', 'unrevoke'], /^error: missing required argument 'deviceId'$/],
  ])('%s: exit 1, one line naming it, nothing changed', async (_what, args, line) => {
    const before = await identitySnapshot(temp.dir);
    const run = await runAdmin(temp.dir, args);
    expect(expectOneLineFailure(run)).toMatch(line);
    expect(await identitySnapshot(temp.dir)).toEqual(before);
  });
});

describe('the store', () => {
  it('is never created by the CLI: a wrong SPORTELLO_DATA_DIR is an error, not an empty store', async () => {
    const wrong = path.join(temp.dir, 'not-the-data-dir');
    // On PostgreSQL: a database of its own that no server has opened (the wrong database).
    const wrongDatabase = await testDatabaseUrl(wrong);
    const run = await runAdmin(wrong, ['devices', 'allow', 'e'.repeat(64), '--label', 'Desk']);
    expect(expectOneLineFailure(run)).toBe(
      wrongDatabase === undefined
        ? `error [store_not_found]: There is no Sportello database at ${wrong}/sportello.db: set SPORTELLO_DATA_DIR (or SPORTELLO_CONFIG) as for the server, which creates the database at its first start.`
        : `error [store_not_found]: There is no Sportello store in the database ${redactedDatabaseUrl(wrongDatabase)}: set SPORTELLO_DATABASE_URL (or SPORTELLO_CONFIG) as for the server, which creates the store at its first start.`,
    );
    if (wrongDatabase !== undefined) expect(run.stderr).not.toContain(new URL(wrongDatabase).password);
    expect(fs.existsSync(wrong)).toBe(false);
  });
});
