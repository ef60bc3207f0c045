/**
 * Fills the server's store directly (as test/server/webhook-fixtures.test.ts seeds its rows): many
 * customers' conversations of one message each, and one long conversation at the top of the list
 * whose messages are as varied as a real one (both directions, lengths from a word to a paragraph,
 * replies that quote an earlier message, reactions, read ticks). Webhooks would take minutes to
 * carry as many; the rows are the same ones ingest writes, the feed's triggers included.
 */
import { STATUS_RANK } from '../../server/inbox/message-status.js';
import type { NewMessage } from '../../server/store/schema.js';
import type { TestServer } from '../../test/helpers/test-server.js';
import { FIRST_NAMES, LAST_NAMES, WORDS, rng } from '../sample-inbox-words.js';

const REACTIONS = ['👍', '❤️', '🙏', '😂'];
/** Rows per transaction: one commit per batch keeps the seeding to seconds. */
const BATCH = 500;
const MINUTE_MS = 60_000;

export interface SeededInbox {
  readonly longConversationId: number;
  /** The long conversation's customer, shown at the top of the list. */
  readonly longCustomerName: string;
  /** The first and the last message of the long conversation, oldest first. */
  readonly longFirstText: string;
  readonly longLastText: string;
}

const random = rng(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const sentence = (words: number) => Array.from({ length: words }, () => pick(WORDS)).join(' ');

function messageRow(conversationId: number, wamid: string, text: string, sentAt: number, fromCustomer: boolean, contextWamid: string | null): NewMessage {
  return {
    wamid,
    conversation_id: conversationId,
    direction: fromCustomer ? 'inbound' : 'outbound',
    origin: fromCustomer ? 'customer' : 'agent',
    type: 'text',
    content_json: JSON.stringify({ type: 'text', body: text }),
    meta_json: null,
    context_wamid: contextWamid,
    amends_wamid: null,
    media_id: null,
    sent_at: sentAt,
    received_at: sentAt,
    status: fromCustomer ? 'received' : 'read',
    status_rank: fromCustomer ? 0 : STATUS_RANK.read,
    status_at: sentAt,
    error_code: null,
    error_title: null,
    error_reason: null,
    idempotency_key: null,
    request_hash: null,
    next_attempt_at: null,
    edited_at: null,
    deleted_at: null,
    raw_json: null,
  };
}

interface NewConversation {
  readonly name: string;
  readonly phone: string;
  readonly lastAt: number;
  readonly unread: number;
}

/** Contact and conversation rows; returns the conversations' ids in order. */
async function insertConversations(t: TestServer, conversations: readonly NewConversation[]): Promise<number[]> {
  const phoneNumberId = t.sandbox.business.phoneNumberId;
  return t.server.committer.submit(async (trx) => {
    const ids: number[] = [];
    for (const { name, phone, lastAt, unread } of conversations) {
      const contact = await trx
        .insertInto('contacts')
        .values({
          wa_id: phone,
          user_id: null,
          parent_user_id: null,
          profile_name: name,
          username: null,
          marketing_preference: null,
          marketing_preference_at: null,
          created_at: lastAt,
          updated_at: lastAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const conversation = await trx
        .insertInto('conversations')
        .values({
          contact_id: contact.id,
          business_phone_number_id: phoneNumberId,
          last_inbound_at: lastAt,
          last_message_at: lastAt,
          last_message_id: null,
          unread_count: unread,
          created_at: lastAt,
          updated_at: lastAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(conversation.id);
    }
    return ids;
  });
}

/** Inserts the messages and points each conversation at its newest one. */
async function insertMessages(
  t: TestServer,
  rows: readonly NewMessage[],
  reactions: ReadonlyArray<{ targetWamid: string; emoji: string; at: number }>,
): Promise<void> {
  await t.server.committer.submit(async (trx) => {
    const newest = new Map<number, { id: number; at: number }>();
    for (const row of rows) {
      const { id } = await trx.insertInto('messages').values(row).returning('id').executeTakeFirstOrThrow();
      const known = newest.get(row.conversation_id);
      if (known === undefined || row.sent_at >= known.at) newest.set(row.conversation_id, { id, at: row.sent_at });
    }
    for (const reaction of reactions) {
      await trx
        .insertInto('reactions')
        .values({
          target_wamid: reaction.targetWamid,
          actor: 'customer',
          emoji: reaction.emoji,
          reacted_at: reaction.at,
          source_wamid: `${reaction.targetWamid}.reaction`,
        })
        .execute();
    }
    for (const [conversationId, { id, at }] of newest) {
      await trx.updateTable('conversations').set({ last_message_id: id, last_message_at: at }).where('id', '=', conversationId).execute();
    }
  });
}

async function seedManyConversations(t: TestServer, count: number, now: number): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    const batch: NewConversation[] = [];
    const texts: string[] = [];
    for (let index = start; index < Math.min(count, start + BATCH); index += 1) {
      // Oldest first, a few minutes apart, all older than the long conversation.
      batch.push({
        name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
        phone: `39${String(3_100_000_000 + index)}`,
        lastAt: now - (count - index + 10) * 3 * MINUTE_MS,
        unread: index % 5 === 0 ? 1 + (index % 3) : 0,
      });
      texts.push(`${sentence(4 + Math.floor(random() * 12))} (#${index})`);
    }
    const ids = await insertConversations(t, batch);
    const rows = ids.map((id, offset) => messageRow(id, `wamid.BENCH_LIST_${start + offset}`, texts[offset] ?? '', batch[offset]?.lastAt ?? now, true, null));
    await insertMessages(t, rows, []);
  }
}

async function seedLongConversation(t: TestServer, messages: number, now: number): Promise<SeededInbox> {
  const name = 'Vittoria Long-Conversation';
  const [conversationId] = await insertConversations(t, [{ name, phone: '393999000111', lastAt: now, unread: 3 }]);
  if (conversationId === undefined) throw new Error('the long conversation was not stored');
  const rows: NewMessage[] = [];
  const reactions: Array<{ targetWamid: string; emoji: string; at: number }> = [];
  let firstText = '';
  let lastText = '';
  for (let index = 0; index < messages; index += 1) {
    const fromCustomer = index % 3 !== 1;
    const sentAt = now - (messages - index) * 7 * MINUTE_MS;
    // Mostly a line or two, now and then a paragraph.
    const words = index % 11 === 0 ? 40 + Math.floor(random() * 40) : 3 + Math.floor(random() * 18);
    const text = `${sentence(words)} [${index + 1}]`;
    const wamid = `wamid.BENCH_LONG_${index}`;
    const contextWamid = index % 9 === 4 && index > 10 ? `wamid.BENCH_LONG_${index - 1 - Math.floor(random() * 8)}` : null;
    rows.push(messageRow(conversationId, wamid, text, sentAt, fromCustomer, contextWamid));
    if (!fromCustomer && index % 13 === 0) reactions.push({ targetWamid: wamid, emoji: pick(REACTIONS), at: sentAt + MINUTE_MS });
    if (index === 0) firstText = text;
    lastText = text;
  }
  for (let start = 0; start < rows.length; start += BATCH) {
    const slice = rows.slice(start, start + BATCH);
    const targets = new Set(slice.map((row) => row.wamid));
    await insertMessages(
      t,
      slice,
      reactions.filter((reaction) => targets.has(reaction.targetWamid)),
    );
  }
  return { longConversationId: conversationId, longCustomerName: name, longFirstText: firstText, longLastText: lastText };
}

export async function seedInbox(t: TestServer, options: { conversations: number; longMessages: number }): Promise<SeededInbox> {
  const now = Date.now();
  await seedManyConversations(t, options.conversations - 1, now);
  return seedLongConversation(t, options.longMessages, now);
}
