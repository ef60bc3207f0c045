/**
 * A message the server held as looking like it carries a code (the workstation's policy was not
 * the server's yet, say) waits refused in main's outbox with `code_needs_confirmation`; Retry as it
 * is is held again, and only the agent's explicit confirmation (`retryOutbox` with `confirmedCode`)
 * sends it, once, audited as confirmed. Over a listening server, the real client core and its cache.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../common/ipc/contract.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { coreBehindProxy } from '../helpers/core-behind-proxy.js';
import { coreDriver, pairAndEnroll } from '../helpers/core-enrollment.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a held code in the outbox', () => {
  it('is held again on Retry, and goes once the agent confirms it', async () => {
    const { t, core } = await coreBehindProxy(cleanups);
    await core.start();
    const driver = coreDriver(core);
    const call = driver.call as <T>(name: string, request?: unknown) => Promise<T>;
    await pairAndEnroll(t, driver.call, driver.waitFor, 'anna', 'agent');
    const { conversationId } = await customerWrites(t, customer(t, 0), 'I got a code by SMS');
    const codeEvents = async () =>
      (await t.server.database.db.selectFrom('audit_log').select('event').where('event', 'like', 'safety.codes.%').orderBy('id').execute()).map(
        (row) => row.event,
      );
    const sentToMeta = async () => {
      await t.server.dispatcher.settled();
      return t.sandbox.graph.accepted.filter((message) => JSON.stringify(message.body).includes('482913'));
    };

    const clientMessageId = crypto.randomUUID();
    const held = await call<OutboxEntry>('sendMessage', { conversationId, clientMessageId, kind: 'text', text: 'Your code is 482913' });
    expect(held).toMatchObject({ state: 'failed', error: { code: 'code_needs_confirmation' } });
    expect(await call<OutboxEntry>('retryOutbox', { clientMessageId })).toMatchObject({ state: 'failed', error: { code: 'code_needs_confirmation' } });
    expect(await sentToMeta()).toEqual([]);

    // Anything but an explicit confirmation is refused at the IPC boundary, and changes nothing.
    const refused = await dispatchIpc(core, 'retryOutbox', { clientMessageId, confirmedCode: false });
    expect(refused).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(await codeEvents()).toEqual(['safety.codes.held', 'safety.codes.held']);

    const sent = await call<OutboxEntry>('retryOutbox', { clientMessageId, confirmedCode: true });
    expect(sent.state).toBe('sent');
    expect(await call<{ entries: OutboxEntry[] }>('listOutbox', { conversationId })).toEqual({ entries: [] });
    expect(await codeEvents()).toEqual(['safety.codes.held', 'safety.codes.held', 'safety.codes.confirmed']);
    expect(await sentToMeta()).toHaveLength(1);
  });
});
