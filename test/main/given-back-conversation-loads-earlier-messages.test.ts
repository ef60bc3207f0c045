/**
 * Regression: a conversation taken from an agent (`conversation_hidden` at seq N) loses its older
 * messages from the agent's cache, but the cache went on saying it held that conversation's
 * messages to the very start. Given back at seq M > N, it opened with what little had come since
 * and no "Load earlier": the messages of before were out of reach. What the cache knew of a
 * conversation's pages goes with its messages when it is hidden. The real core, a listening
 * server, real SQLCipher files.
 */
import crypto from 'node:crypto';
import { teamViewer } from '../helpers/cache-rows.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagePage } from '../../common/api/inbox.js';
import type { IpcEventPayload } from '../../common/ipc/contract.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { IT } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';

/** The renderer's page of messages (use-conversation-messages.ts), and more than one of them before the hand-over. */
const MESSAGE_PAGE = 50;
const BEFORE_HAND_OVER = 70;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a conversation given back to an agent', () => {
  it('opens with its newest messages and "Load earlier" down to its first, though the cache had held all of it before it was taken', async () => {
    const t = await startTestServer({ tls: true });
    cleanups.push(() => t.close());
    const { core, call, waitFor, untilFirstLoad } = await startCoreBehindProxy(t, cleanups);
    const told: Array<IpcEventPayload<'inbox'>> = [];
    core.onEvent((event, payload) => {
      if (event === 'inbox') told.push(payload as IpcEventPayload<'inbox'>);
    });
    const until = (what: string, match: (event: IpcEventPayload<'inbox'>) => boolean) =>
      eventually(() => Promise.resolve(told.some(match) || undefined), 15_000, what);
    const bruno = await pairAndEnroll(t, call, waitFor, 'bruno', 'agent', { capacity: 0 });
    await untilFirstLoad();
    const anna = await t.server.identity.agents.create({ username: 'anna', displayName: 'Anna', roles: ['agent'] }, IT);

    // Unassigned, Bruno sees it: he reads it back to its first message, so his cache holds all of it.
    let last = await customerWrites(t, customer(t, 0), 'Message 0');
    for (let index = 1; index < BEFORE_HAND_OVER; index += 1) last = await customerWrites(t, customer(t, 0), `Message ${index}`);
    const conversationId = last.conversationId;
    await until('the last message on the workstation', (event) => event.type === 'message' && event.message.id === last.messageId);
    const messagePage = (cursor?: string) =>
      call<MessagePage>('listMessages', { conversationId, limit: MESSAGE_PAGE, ...(cursor === undefined ? {} : { cursor }) });
    /** Opens the conversation and presses "Load earlier" until it goes away. */
    const openToTheStart = async (): Promise<{ first: MessagePage; ids: number[] }> => {
      const first = await messagePage();
      const ids = first.items.map((item) => item.id);
      let cursor = first.nextCursor;
      for (let pages = 0; cursor !== null; pages += 1) {
        if (pages > 10) throw new Error('the conversation never reached its start');
        const page = await messagePage(cursor);
        ids.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      }
      return { first, ids };
    };
    const serverMessages = async () =>
      (
        await t.server.database.db
          .selectFrom('messages')
          .select('id')
          .where('conversation_id', '=', conversationId)
          .orderBy('sent_at', 'desc')
          .orderBy('id', 'desc')
          .execute()
      ).map((row) => row.id);
    expect((await openToTheStart()).ids).toEqual(await serverMessages());

    // Anna takes it: Bruno is told, and his cache lets its messages go.
    await t.server.sendService.send(
      { idempotencyKey: crypto.randomUUID(), conversationId, kind: 'text', text: 'Ci penso io' },
      teamViewer(anna.agent.id, 'agent'),
    );
    await until('the notice that it left Bruno', (event) => event.type === 'conversation_hidden' && event.conversationId === conversationId);
    await customerWrites(t, customer(t, 0), 'Written while Anna had it');

    // A supervisor gives it back to Bruno (there is no reassignment call yet: the store, as the feed sees it).
    await t.server.committer.submit((trx) =>
      trx.updateTable('conversations').set({ assigned_agent_id: bruno.agentId, assigned_at: Date.now() }).where('id', '=', conversationId).execute(),
    );
    await until(
      'the conversation back on the workstation',
      (event) => event.type === 'conversation' && event.conversation.id === conversationId && event.conversation.assignedAgentId === bruno.agentId,
    );
    const back = await customerWrites(t, customer(t, 0), 'Thanks for taking it back');
    await until('the newest message on the workstation', (event) => event.type === 'message' && event.message.id === back.messageId);

    const all = await serverMessages();
    expect(all).toHaveLength(BEFORE_HAND_OVER + 3);
    const reopened = await openToTheStart();
    expect(reopened.first.items.map((item) => item.id)).toEqual(all.slice(0, MESSAGE_PAGE));
    expect(reopened.first.nextCursor).not.toBeNull();
    expect(reopened.ids).toEqual(all);
  }, 120_000);
});
