/**
 * Deleting the newest audit rows leaves a chain that still holds: nothing after them points back
 * at them. The server writes a checkpoint (row count and head hash, sealed with its key) to its
 * log and to a file outside the database after audited acts and every few minutes, and
 * `audit verify --checkpoint FILE` compares the store with it: the rows removed are found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditVerification } from '../../common/api/admin.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import { runAdmin, withStore } from './admin-cli-process.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

const checkpointFile = () => path.join(temp.dir, 'audit-checkpoint.json');

function readCheckpoint(): { rows: number; headId: number | null; headHash: string | null } | undefined {
  try {
    return JSON.parse(fs.readFileSync(checkpointFile(), 'utf8')) as { rows: number; headId: number | null; headHash: string | null };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

describe('audit verify --checkpoint', () => {
  it('finds the newest rows removed behind its back (sqlite3, psql), which a verify without a checkpoint cannot see', async () => {
    // The policy as shipped: the harness's own policy change would be an audit row these counts do not expect.
    const t = await startTestServer({ dataDir: temp.dir, safetyDefaults: true });
    try {
      for (const digit of ['1', '2', '3', '4']) {
        await t.server.identity.devices.allow([{ machineId: digit.repeat(64), label: `Desk ${digit}` }], IT, 'single');
      }
      // Each audited act is followed by a checkpoint: the file comes to name the fourth row.
      await eventually(() => Promise.resolve(readCheckpoint()?.rows === 4 ? true : undefined), 10_000, 'the checkpoint of the fourth row');
    } finally {
      await t.close();
    }
    const checkpoint = readCheckpoint();
    expect(checkpoint).toMatchObject({ rows: 4, headId: 4, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Written whole and renamed into place: no temporary file is left beside it.
    expect(fs.readdirSync(temp.dir).filter((name) => name.includes('audit-checkpoint'))).toEqual(['audit-checkpoint.json']);

    await withStore(temp.dir, async (db) => {
      expect((await db.deleteFrom('audit_log').where('id', '>=', 3).executeTakeFirst()).numDeletedRows).toBe(2n);
    });

    // Without a checkpoint the shortened chain holds, as docs/admin-cli.md says it does.
    const alone = await runAdmin(temp.dir, ['audit', 'verify']);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(
      /^The audit chain holds: 2 rows, head hash [0-9a-f]{64}\. Without --checkpoint this cannot tell whether the newest rows were removed\.\n$/,
    );
    // The CLI does not overwrite a checkpoint the store no longer contains: it says so instead.
    expect(alone.stderr).toMatch(/^warning: the audit checkpoint .*audit-checkpoint\.json names row 4, which the store no longer holds/);
    expect(readCheckpoint()).toEqual(checkpoint);

    const compared = await runAdmin(temp.dir, ['audit', 'verify', '--checkpoint', checkpointFile()]);
    expect(compared.code).toBe(2);
    expect(compared.stdout).toMatch(
      /^The audit chain is BROKEN: the newest rows were removed: the checkpoint written \S+Z counted 4 rows, up to row 4; the store holds 3 rows, up to row 5\./,
    );
    const json = await runAdmin(temp.dir, ['audit', 'verify', '--checkpoint', checkpointFile(), '--json']);
    expect(json.code).toBe(2);
    expect(AuditVerification.parse(JSON.parse(json.stdout))).toMatchObject({ ok: false, firstBrokenId: null, checkpoint: { rows: 4, headId: 4 } });
  });

  it('passes with a checkpoint the store still contains, and refuses a checkpoint that is not sealed with the server key', async () => {
    // The policy as shipped: the harness's own policy change would be an audit row these counts do not expect.
    const t = await startTestServer({ dataDir: temp.dir, safetyDefaults: true });
    try {
      await t.server.identity.devices.allow([{ machineId: '1'.repeat(64), label: 'Desk 1' }], IT, 'single');
      await eventually(() => Promise.resolve(readCheckpoint()?.rows === 1 ? true : undefined), 10_000, 'the checkpoint of the first row');
    } finally {
      await t.close();
    }
    const holds = await runAdmin(temp.dir, ['audit', 'verify', '--checkpoint', checkpointFile()]);
    expect(holds.code).toBe(0);
    expect(holds.stdout).toMatch(/^The audit chain holds: 1 row, head hash [0-9a-f]{64}; it contains the checkpoint written \S+Z \(1 row, up to row 1\)\.\n$/);

    // Someone lowers the count to match the rows they removed: the seal no longer matches.
    const forged = { ...JSON.parse(fs.readFileSync(checkpointFile(), 'utf8')), rows: 0, headId: null, headHash: null } as object;
    const forgedFile = path.join(temp.dir, 'forged-checkpoint.json');
    fs.writeFileSync(forgedFile, JSON.stringify(forged));
    const refused = await runAdmin(temp.dir, ['audit', 'verify', '--checkpoint', forgedFile]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/^The audit chain is BROKEN: the checkpoint .*forged-checkpoint\.json is not sealed with this server's key/);

    // A file that is not a checkpoint at all is a bad argument: one line, exit 1.
    fs.writeFileSync(forgedFile, 'not json');
    const unreadable = await runAdmin(temp.dir, ['audit', 'verify', '--checkpoint', forgedFile]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/^error \[audit_checkpoint_unreadable\]: .*forged-checkpoint\.json/);
    const missing = await runAdmin(temp.dir, ['audit', 'verify', '--checkpoint', path.join(temp.dir, 'nowhere.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error \[audit_checkpoint_unreadable\]: .*nowhere\.json/);
  });
});
