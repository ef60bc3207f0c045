/**
 * Enrollment confirmation reads the pending enrollment, checks the code, then writes. A `start`
 * landing in between (the same enrollment code, a new password and secret) made the write match
 * no row, and yet the confirmation handed out recovery codes and a session for an agent still
 * enrolling. The start is put in that gap deterministically: the confirmation's transaction is
 * handed to the server's real committer only after a real start over the API has finished.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EnrollmentService } from '../../server/agents/enrollment.js';
import type { GroupCommitter } from '../../server/store/group-commit.js';
import { approvedDevice, enrollWithCode, GOOD_PASSWORD, IT, totpNow } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { secretOfUri } from '../helpers/test-device.js';
import { startTestServer, TEST_POLICY } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function startEnrollment(device: TestDevice, username: string, enrollmentCode: string) {
  return device
    .proof('enrollment.start', username)
    .then((proof) =>
      device.call<{ enrollmentId: string; otpauthUri: string }>('POST', '/v1/enrollment', { username, enrollmentCode, newPassword: GOOD_PASSWORD, proof }),
    );
}

describe('enrollment confirmation', () => {
  it('refuses when a concurrent start replaced the pending enrollment it read, and hands out nothing', async () => {
    const server = await startTestServer();
    t = server;
    const { db } = server.server.database;
    const device = await approvedDevice(server, 'nina-desk');
    const issued = await server.server.identity.agents.create({ username: 'nina', displayName: 'Nina', roles: ['agent'] }, IT);
    const first = await startEnrollment(device, 'nina', issued.enrollmentCode);
    expect(first.status).toBe(201);

    let restarted: Awaited<ReturnType<typeof startEnrollment>> | undefined;
    const realCommitter = server.server.committer;
    // The server's own committer, reached only after a second start has replaced the first.
    const startFirst = {
      submit: async (...args: Parameters<GroupCommitter['submit']>) => {
        restarted ??= await startEnrollment(device, 'nina', issued.enrollmentCode);
        return realCommitter.submit(...args);
      },
    } as unknown as GroupCommitter;
    const confirming = new EnrollmentService({
      db,
      committer: startFirst,
      key: server.server.identity.key,
      orgName: 'Acme Test',
      policy: TEST_POLICY,
      sessionLifetimeMs: 60 * 60 * 1000,
      now: Date.now,
    });

    const code = await totpNow(secretOfUri(first.body.otpauthUri));
    await expect(
      confirming.confirm(
        { enrollmentId: first.body.enrollmentId, code, proof: await device.proof('enrollment.confirm', first.body.enrollmentId) },
        '127.0.0.1',
      ),
    ).rejects.toMatchObject({
      code: 'enrollment_not_pending',
    });
    expect(restarted?.status).toBe(201);

    const agent = await db.selectFrom('agents').selectAll().where('username', '=', 'nina').executeTakeFirstOrThrow();
    expect(agent).toMatchObject({ status: 'enrolling', password_hash: null, totp_secret_sealed: null, pending_enrollment_id: restarted?.body.enrollmentId });
    expect(await db.selectFrom('recovery_codes').select('id').where('agent_id', '=', agent.id).execute()).toHaveLength(0);
    expect(await db.selectFrom('sessions').select('id').where('agent_id', '=', agent.id).execute()).toHaveLength(0);
    expect(await db.selectFrom('audit_log').select('id').where('event', '=', 'agent.enrolled').execute()).toHaveLength(0);

    // The enrollment that replaced it is the one that completes.
    const confirmed = await device.call<{ recoveryCodes: string[] }>('POST', '/v1/enrollment/confirm', {
      enrollmentId: restarted?.body.enrollmentId,
      code: await totpNow(secretOfUri(restarted?.body.otpauthUri ?? '')),
      proof: await device.proof('enrollment.confirm', restarted?.body.enrollmentId ?? ''),
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
  });

  it('still completes an enrollment nothing raced with', async () => {
    const server = await startTestServer();
    t = server;
    const device = await approvedDevice(server, 'olga-desk');
    const issued = await server.server.identity.agents.create({ username: 'olga', displayName: 'Olga', roles: ['agent'] }, IT);
    const enrolled = await enrollWithCode(device, 'olga', issued.enrollmentCode);
    expect(enrolled.recoveryCodes).toHaveLength(10);
    const agent = await server.server.database.db.selectFrom('agents').select('status').where('username', '=', 'olga').executeTakeFirstOrThrow();
    expect(agent.status).toBe('active');
  });
});
