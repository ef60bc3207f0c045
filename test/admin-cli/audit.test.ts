/**
 * `audit …`: the log newest first, filtered and limited; and the chain check that monitoring runs,
 * exit code 0 while the chain holds and 2 once a row was edited behind the application's back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditEntryView, AuditVerification } from '../../common/api/admin.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { adminJson, createStore, runAdmin, seedStore, tamperWithAuditRow } from './admin-cli-process.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(async () => {
  temp = makeTempDir();
  await createStore(temp.dir);
  await seedStore(temp.dir, async ({ devices, actor }) => {
    await devices.allow([{ machineId: '1'.repeat(64), label: 'Reception' }], actor, 'single');
    await devices.allow([{ machineId: '2'.repeat(64), label: 'Back office' }], actor, 'single');
    await devices.allow(
      [
        { machineId: '3'.repeat(64), label: 'Warehouse' },
        { machineId: '1'.repeat(64), label: 'Reception desk' },
      ],
      actor,
      'csv',
    );
  });
});
afterEach(() => temp.remove());

describe('audit list', () => {
  it('shows the newest entries first, filtered by event and limited', async () => {
    const all = AuditEntryView.array().parse(await adminJson(temp.dir, ['audit', 'list']));
    expect(all.map((entry) => [entry.id, entry.event, entry.details])).toEqual([
      [3, 'device.allowlisted', { source: 'csv', added: 1, updated: 1 }],
      [2, 'device.allowlisted', { machineId: '2'.repeat(64), label: 'Back office' }],
      [1, 'device.allowlisted', { machineId: '1'.repeat(64), label: 'Reception' }],
    ]);
    expect(all[0]).toMatchObject({ outcome: 'ok', actor: expect.stringMatching(/^cli:/), agentId: null, sourceAddress: null });

    const limited = AuditEntryView.array().parse(await adminJson(temp.dir, ['audit', 'list', '--limit', '2']));
    expect(limited.map((entry) => entry.id)).toEqual([3, 2]);
    const none = AuditEntryView.array().parse(await adminJson(temp.dir, ['audit', 'list', '--event', 'device.revoked']));
    expect(none).toEqual([]);

    const text = await runAdmin(temp.dir, ['audit', 'list', '--limit', '1']);
    expect(text.stdout).toMatch(
      /^ID +AT +EVENT +OUTCOME +ACTOR +AGENT +DEVICE +DETAILS\n3 +\S+Z +device\.allowlisted +ok +cli:\S+ +- +- +\{"source":"csv","added":1,"updated":1\}\n$/,
    );
  });
});

describe('audit list filters', () => {
  it('keeps to an action or its kind, to who acted and to a time range, and refuses a range that ends before it starts', async () => {
    const ids = async (args: string[]) =>
      AuditEntryView.array()
        .parse(await adminJson(temp.dir, ['audit', 'list', ...args]))
        .map((entry) => entry.id);
    expect(await ids(['--event', 'device'])).toEqual([3, 2, 1]);
    expect(await ids(['--event', 'dev'])).toEqual([]);
    expect(await ids(['--actor', 'CLI:'])).toEqual([3, 2, 1]);
    expect(await ids(['--actor', 'agent:'])).toEqual([]);
    expect(await ids(['--from', '2000-01-01', '--to', '2999-01-01'])).toEqual([3, 2, 1]);
    expect(await ids(['--from', '2999-01-01'])).toEqual([]);
    const backwards = await runAdmin(temp.dir, ['audit', 'list', '--from', '2026-03-02', '--to', '2026-03-01']);
    expect(backwards).toMatchObject({ code: 1, stdout: '', stderr: 'error [invalid_argument]: --from: must come before --to\n' });
    const notATime = await runAdmin(temp.dir, ['audit', 'list', '--from', 'yesterday']);
    expect(notATime.stderr).toBe('error [invalid_argument]: --from: must be a date or time in ISO 8601, e.g. 2026-03-01 or 2026-03-01T09:30:00Z\n');
  });
});

describe('audit verify', () => {
  it('exits 0 while the chain holds, and 2 naming the first row edited behind its back', async () => {
    const holds = await runAdmin(temp.dir, ['audit', 'verify']);
    expect(holds).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^The audit chain holds: 3 rows, head hash [0-9a-f]{64}\. Without --checkpoint this cannot tell whether the newest rows were removed\.\n$/,
      ),
    });

    await tamperWithAuditRow(temp.dir, 2, JSON.stringify({ machineId: '9'.repeat(64), label: 'Forged' }));
    const broken = await runAdmin(temp.dir, ['audit', 'verify']);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toMatch(/^The audit chain is BROKEN at row 2: row 2 was changed after it was written\./);

    const json = await runAdmin(temp.dir, ['audit', 'verify', '--json']);
    expect(json.code).toBe(2);
    expect(AuditVerification.parse(JSON.parse(json.stdout))).toMatchObject({ ok: false, firstBrokenId: 2, headHash: null });

    // Each verification is itself recorded, after the rows it checked.
    const recorded = AuditEntryView.array().parse(await adminJson(temp.dir, ['audit', 'list', '--event', 'audit.verified']));
    expect(recorded.map((entry) => [entry.outcome, entry.details.firstBrokenId])).toEqual([
      ['failed', 2],
      ['failed', 2],
      ['ok', null],
    ]);
  });
});
