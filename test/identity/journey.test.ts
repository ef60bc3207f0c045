/**
 * The whole journey over a listening server: IT registers a machine, the machine pairs with a
 * fresh key, an admin approves its code, an agent enrolls (otpauth URI parsed, code computed from
 * its secret), logs in, works the inbox (a customer writes, the event arrives, the agent
 * replies, the ticks come back), and then the device is revoked: every call is refused and the
 * socket is closed (how long that takes is measured by `npm run bench:revocation`, not asserted).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationPage, MessagePage, SendAccepted } from '../../common/api/inbox.js';
import type { DeviceState } from '../../common/api/pairing.js';
import type { SessionGrant } from '../../common/api/session.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { enrolledAgent, IT, openEventSocket, totpNow } from '../helpers/identity-setup.js';
import { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';
import { conversationsWaitForAReply } from '../helpers/routing-scene.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('device trust and agent identity, end to end', () => {
  it('pairs, enrolls, logs in, works the inbox, and is shut out at once when revoked', async () => {
    t = await startTestServer({ statusDelaysMs: { sent: 20, delivered: 40, read: 60 } });
    const server = t;
    const device = new TestDevice(server.server.url, { hostname: 'reception-01' });

    // Not registered by IT: refused at once.
    const unregistered = await device.requestPairing();
    expect(unregistered.status).toBe(403);
    expect(unregistered.body).toMatchObject({ error: { code: 'device_not_allowlisted' } });

    await server.server.identity.devices.allow([{ machineId: device.machineId, label: 'Reception 1' }], IT, 'single');
    const pairing = await device.requestPairing();
    expect(pairing.status).toBe(201);
    expect(pairing.body.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(pairing.body.approvalUrl).toBe(`${server.server.url}/pair?code=${pairing.body.code}`);
    expect(pairing.body.keyFingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);

    // Waiting: the signed poll says pending; a rotated code replaces the first one.
    const pending = await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/status`, {
      proof: await device.proof('pairing.status', String(pairing.body.pairingId)),
    });
    expect(pending).toMatchObject({ status: 200, body: { status: 'pending' } });
    const rotated = await device.call<{ code: string }>('POST', `/v1/pairings/${pairing.body.pairingId}/code`, {
      proof: await device.proof('pairing.code', String(pairing.body.pairingId)),
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.code).not.toBe(pairing.body.code);
    await expect(server.server.identity.pairing.approve(pairing.body.code.replace('-', ''), IT)).rejects.toMatchObject({ code: 'pairing_code_invalid' });

    // The first admin is created from the CLI's side; the admin enrolls on this device and approves nothing yet.
    const approved = await server.server.identity.pairing.approve(rotated.body.code.replace('-', ''), IT);
    expect(approved).toMatchObject({ status: 'active', label: 'Reception 1', key_fingerprint: pairing.body.keyFingerprint });
    const approvedPoll = await device.call('POST', `/v1/pairings/${pairing.body.pairingId}/status`, {
      proof: await device.proof('pairing.status', String(pairing.body.pairingId)),
    });
    expect(approvedPoll).toMatchObject({ status: 200, body: { status: 'approved' } });

    const agent = await enrolledAgent(server, device, 'marta');
    await conversationsWaitForAReply(server);
    expect(agent.recoveryCodes).toHaveLength(10);
    expect(new Set(agent.recoveryCodes).size).toBe(10);

    // Log in afresh with password + the next TOTP code (the enrollment used the current step).
    const login = await device.login('marta', agent.password, { kind: 'totp', code: await totpNow(agent.secret, Date.now() + 30_000) });
    expect(login.status).toBe(201);
    const grant = login.body;
    expect(grant.agent).toMatchObject({ username: 'marta', roles: ['agent'] });
    expect(grant.cacheKeyShare).toBe(agent.session.cacheKeyShare);
    expect(grant.policy).toMatchObject({ idleLockMinutes: 5, offlineLeaseHours: 12, blockScreenshots: true, allowBasicTextStorage: false });
    const token = grant.accessToken;

    // The inbox: a customer writes; the event arrives on the socket; the conversation is unassigned.
    const events = await openEventSocket(server, device, token);
    await events.next((event) => event.type === 'ready');
    const written = await customerWrites(server, customer(server, 0), 'Buongiorno, il mio ordine non è arrivato');
    const arrived = await events.next((event) => event.type === 'message' && event.message.id === written.messageId);
    expect(arrived).toMatchObject({
      type: 'message',
      conversation: { id: written.conversationId, unreadCount: 1, assignedAgentId: null },
      message: { direction: 'inbound', content: { type: 'text', body: 'Buongiorno, il mio ordine non è arrivato' } },
    });

    const unassigned = await device.call<ConversationPage>('GET', '/v1/conversations?filter=unassigned', undefined, token);
    expect(unassigned.status).toBe(200);
    expect(unassigned.body.items.map((item) => item.id)).toEqual([written.conversationId]);
    const messages = await device.call<MessagePage>('GET', `/v1/conversations/${written.conversationId}/messages`, undefined, token);
    expect(messages.body.items.map((item) => item.id)).toEqual([written.messageId]);

    // Reply: the conversation becomes Marta's; the sandbox sends sent/delivered/read back as webhooks.
    const reply = await device.call<SendAccepted>(
      'POST',
      '/v1/messages',
      {
        idempotencyKey: 'journey-reply-0001',
        conversationId: written.conversationId,
        kind: 'text',
        text: 'Mi dispiace! Controllo subito.',
        replyToMessageId: written.messageId,
      },
      token,
    );
    expect(reply.status).toBe(201);
    // Read back after it was handed to the dispatcher, which may already have taken it, or had it
    // accepted by the sandbox's Graph stand-in (on PostgreSQL the read is a round trip later).
    expect(reply.body.message).toMatchObject({
      direction: 'outbound',
      status: expect.stringMatching(/^(queued|sending|accepted)$/),
      replyToMessageId: written.messageId,
      sentByAgentId: agent.agentId,
    });
    const again = await device.call<SendAccepted>(
      'POST',
      '/v1/messages',
      {
        idempotencyKey: 'journey-reply-0001',
        conversationId: written.conversationId,
        kind: 'text',
        text: 'Mi dispiace! Controllo subito.',
        replyToMessageId: written.messageId,
      },
      token,
    );
    expect(again.body).toMatchObject({ duplicate: true, message: { id: reply.body.message.id } });
    await events.next((event) => event.type === 'status' && event.message.id === reply.body.message.id && event.message.status === 'read', 10_000);
    const mine = await device.call<ConversationPage>('GET', '/v1/conversations?filter=mine', undefined, token);
    expect(mine.body.items.map((item) => item.id)).toEqual([written.conversationId]);

    const read = await device.call('POST', `/v1/conversations/${written.conversationId}/read`, {}, token);
    expect(read).toMatchObject({ status: 200, body: { conversation: { unreadCount: 0 } } });

    // Revocation: the socket is closed with the reason, every call is refused, the share is gone.
    await server.server.identity.devices.revoke(approved.id, 'Laptop reported stolen', IT);
    const closed = await events.closed;
    expect(closed.code).toBe(4003);
    expect(events.events.at(-1)).toEqual({ type: 'device_revoked', reason: 'Laptop reported stolen' });

    const refused = await device.call('GET', '/v1/conversations', undefined, token);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'device_revoked' } } });
    const refresh = await device.call('POST', '/v1/sessions/refresh', { refreshToken: grant.refreshToken, proof: await device.proof('refresh') });
    expect(refresh.status).toBeGreaterThanOrEqual(401);
    const relogin = await device.login('marta', agent.password, { kind: 'recovery', code: agent.recoveryCodes[0] ?? '' });
    expect(relogin).toMatchObject({ status: 403, body: { error: { code: 'device_revoked' } } });
    const status = await device.call<DeviceState>('POST', '/v1/device/status', { proof: await device.proof('device.status') });
    expect(status.body).toEqual({ status: 'revoked', label: 'Reception 1', revokedReason: 'Laptop reported stolen' });
    const row = await server.server.database.db
      .selectFrom('devices')
      .select(['cache_share_sealed', 'status'])
      .where('id', '=', approved.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ cache_share_sealed: null, status: 'revoked' });

    // A revoked machine cannot pair again until an admin lifts the revocation.
    const repair = await device.requestPairing();
    expect(repair).toMatchObject({ status: 403, body: { error: { code: 'device_revoked' } } });

    const audit = await server.server.database.db.selectFrom('audit_log').select('event').orderBy('id').execute();
    expect(audit.map((entry) => entry.event)).toEqual(
      expect.arrayContaining([
        'pairing.refused',
        'device.allowlisted',
        'pairing.requested',
        'pairing.approved',
        'agent.created',
        'agent.enrollment_started',
        'agent.enrolled',
        'login.ok',
        'device.revoked',
      ]),
    );
  });

  it('ends sessions and sockets when an agent is disabled, and lets a logged-out token do nothing', async () => {
    t = await startTestServer();
    const device = new TestDevice(t.server.url);
    await t.server.identity.devices.allow([{ machineId: device.machineId, label: 'Desk' }], IT, 'single');
    const pairing = await device.requestPairing();
    const approved = await t.server.identity.pairing.approve(pairing.body.code.replace('-', ''), IT);
    const agent = await enrolledAgent(t, device, 'luca');
    const session: SessionGrant = agent.session;
    const events = await openEventSocket(t, device, session.accessToken);
    await events.next((event) => event.type === 'ready');

    await t.server.identity.agents.disable(agent.agentId, IT);
    expect((await events.closed).code).toBe(4001);
    expect(await device.call('GET', '/v1/conversations', undefined, session.accessToken)).toMatchObject({
      status: 403,
      body: { error: { code: 'agent_disabled' } },
    });
    expect(approved.status).toBe('active');

    const other = await enrolledAgent(t, device, 'giulia');
    const logout = await device.call('DELETE', '/v1/sessions/current', undefined, other.session.accessToken);
    expect(logout.status).toBe(204);
    expect(await device.call('GET', '/v1/conversations', undefined, other.session.accessToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'session_invalid' } },
    });
  });
});
