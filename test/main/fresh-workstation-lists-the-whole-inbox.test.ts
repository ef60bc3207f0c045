/**
 * A supervisor signing in on a fresh workstation (an empty cache) to an inbox bigger than the
 * first load: paging the list as the renderer does reaches every conversation, once each and in
 * the server's order, even with conversations from further down already in the cache (a search
 * result opened); a long conversation keeps its earlier messages reachable on first open and
 * after reopening; once the cache has seen a list to its end, it answers alone offline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationFilter, ConversationPage, MessagePage } from '../../common/api/inbox.js';
import { customer } from '../helpers/conversations.js';
import { startCoreBehindProxy } from '../helpers/core-behind-proxy.js';
import { pairAndEnroll } from '../helpers/core-enrollment.js';
import { startTestServer } from '../helpers/test-server.js';

/** More than the 200 the cache loads after sign-in (inbox-sync.ts), and not a multiple of a page. */
const CUSTOMERS = 320;
/** The renderer's page sizes (use-conversation-list.ts, use-conversation-messages.ts). */
const LIST_PAGE = 100;
const MESSAGE_PAGE = 50;
const LONG_CONVERSATION = 130;
/** Conversations from the bottom of the list opened one by one before the agent pages down to them. */
const OPENED_FROM_THE_BOTTOM = 110;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Webhooks in parallel batches: the order within a batch does not matter to these tests. */
async function writeAll(writes: ReadonlyArray<() => Promise<{ delivered: boolean }>>): Promise<void> {
  for (let start = 0; start < writes.length; start += 20) {
    const results = await Promise.all(writes.slice(start, start + 20).map((write) => write()));
    if (results.some((result) => !result.delivered)) throw new Error('a webhook was not accepted');
  }
}

describe('a fresh workstation', () => {
  it('lists the whole inbox and keeps a long conversation’s earlier messages reachable, also after reopening', async () => {
    const t = await startTestServer({ tls: true, customers: CUSTOMERS });
    cleanups.push(() => t.close());

    // The inbox before this workstation exists: one conversation per customer, the first a long one.
    await writeAll(
      Array.from({ length: CUSTOMERS }, (_, index) => () => t.customers.write(customer(t, index), { type: 'text', text: { body: `Conversation ${index}` } })),
    );
    await writeAll(
      Array.from(
        { length: LONG_CONVERSATION - 1 },
        (_, index) => () => t.customers.write(customer(t, 0), { type: 'text', text: { body: `More from the first customer, ${index}` } }),
      ),
    );
    const db = t.server.database.db;
    const serverOrder = (await db.selectFrom('conversations').select('id').orderBy('last_message_at', 'desc').orderBy('id', 'desc').execute()).map(
      (row) => row.id,
    );
    expect(serverOrder).toHaveLength(CUSTOMERS);
    // The queue (nobody holds them) is listed oldest waiting first.
    const queueOrder = (await db.selectFrom('conversations').select('id').orderBy('queued_at').orderBy('id').execute()).map((row) => row.id);
    const long = await db
      .selectFrom('messages')
      .select((eb) => ['conversation_id as id', eb.fn.countAll<number>().as('n')])
      .groupBy('conversation_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const longMessages = (
      await db.selectFrom('messages').select('id').where('conversation_id', '=', long.id).orderBy('sent_at', 'desc').orderBy('id', 'desc').execute()
    ).map((row) => row.id);
    expect(longMessages).toHaveLength(LONG_CONVERSATION);

    const { network, call, waitFor, untilConnection, untilFirstLoad } = await startCoreBehindProxy(t, cleanups);
    /** Pages a list as the renderer scrolls it, until the answer says there is no more. */
    const wholeList = async (filter: ConversationFilter): Promise<number[]> => {
      const ids: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 50; pages += 1) {
        const page = await call<ConversationPage>('listConversations', { filter, limit: LIST_PAGE, ...(cursor === undefined ? {} : { cursor }) });
        ids.push(...page.items.map((item) => item.id));
        if (page.nextCursor === null) return ids;
        cursor = page.nextCursor;
      }
      throw new Error('the list never ended');
    };
    const messagePage = (cursor?: string) =>
      call<MessagePage>('listMessages', { conversationId: long.id, limit: MESSAGE_PAGE, ...(cursor === undefined ? {} : { cursor }) });
    /** "Load earlier" pressed until it goes away. */
    const earlierUntilTheStart = async (first: MessagePage): Promise<number[]> => {
      const ids = first.items.map((item) => item.id);
      let cursor = first.nextCursor;
      for (let pages = 0; cursor !== null; pages += 1) {
        if (pages > 20) throw new Error('the conversation never reached its start');
        const page = await messagePage(cursor);
        ids.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      }
      return ids;
    };

    await pairAndEnroll(t, call, waitFor, 'irene', 'supervisor');
    await untilFirstLoad();

    // A search result or a notification opens conversations from the bottom of the list, one by one:
    // the cache then holds them, with a gap above them it knows nothing of.
    for (const id of serverOrder.slice(-OPENED_FROM_THE_BOTTOM)) await call('getConversation', { conversationId: id });

    expect(await wholeList('all')).toEqual(serverOrder);
    expect(await wholeList('unassigned')).toEqual(queueOrder);

    // The long conversation: earlier messages on first open, and still after closing and reopening it.
    const opened = await messagePage();
    expect(opened.items.map((item) => item.id)).toEqual(longMessages.slice(0, MESSAGE_PAGE));
    expect(opened.nextCursor).not.toBeNull();
    const reopened = await messagePage();
    expect(reopened.items.map((item) => item.id)).toEqual(longMessages.slice(0, MESSAGE_PAGE));
    expect(reopened.nextCursor).not.toBeNull();
    expect(await earlierUntilTheStart(reopened)).toEqual(longMessages);

    // Both were seen to their end: with the server out of reach, the cache still has all of it.
    network.refuse(true);
    await untilConnection(false);
    expect(await wholeList('all')).toEqual(serverOrder);
    expect(await earlierUntilTheStart(await messagePage())).toEqual(longMessages);
  }, 120_000);
});
