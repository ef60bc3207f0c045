/**
 * How far down each list the cache is known to hold every item (in the list's order: newest first,
 * the queue oldest waiting first, where an item entering again goes to the end): to its end, or down
 * to a position (every item at or above it is cached). Learnt from the server's pages read from
 * the top, or from a place already covered; the feed keeps a covered part current (new items come
 * in at the top, items move only upwards, a conversation taken away is deleted; a conversation
 * that changes state, and so moves from one state's list into another's at any depth, comes with
 * its `conversation` event, so the list it joins holds it). Anything else the
 * cache holds below that depth (a conversation opened from a search) may have gaps around it.
 * Kept in `sync_state`, so it outlives a restart; forgotten with what it describes.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConversationState } from '../../common/api/conversation-lifecycle.js';
import type { ConversationFilter } from '../../common/api/inbox.js';
import type { PagePosition } from '../../common/api/page-cursor.js';
import { decodePageCursor, encodePageCursor } from '../../common/api/page-cursor.js';
import { comparePositionsIn, conversationOrder } from '../../common/api/conversation-order.js';
import type { ConversationOrder } from '../../common/api/conversation-order.js';

export type Coverage = 'end' | PagePosition;

/** A list of conversations in one state (of one business number when `number` is set, carrying one label when `label` is), or a conversation's messages, notes or history. */
export type CoveredList =
  | {
      readonly kind: 'conversations';
      readonly filter: ConversationFilter;
      readonly state: ConversationState;
      readonly number?: string | undefined;
      readonly label?: number | undefined;
    }
  | { readonly kind: 'messages' | 'notes' | 'history'; readonly conversationId: number };

const PREFIX = 'covered:';
const END = 'end';

function keyOf(list: CoveredList): string {
  if (list.kind !== 'conversations') return `${PREFIX}${list.kind}:${list.conversationId}`;
  const of = `${PREFIX}conversations:${list.filter}:${list.state}`;
  const ofNumber = list.number === undefined ? of : `${of}:${list.number}`;
  return list.label === undefined ? ofNumber : `${ofNumber}:label:${list.label}`;
}

/** The order of a list's positions: the queue's oldest waiting first, every other list newest first (common/api/conversation-order.ts). */
export function orderOf(list: CoveredList): ConversationOrder {
  return list.kind === 'conversations' ? conversationOrder(list.filter, list.state) : 'newest_first';
}

/** The deeper of two coverages of a list in `order` (undefined: nothing known). */
export function deeper(a: Coverage | undefined, b: Coverage | undefined, order: ConversationOrder = 'newest_first'): Coverage | undefined {
  if (a === undefined || b === 'end') return b;
  if (b === undefined || a === 'end') return a;
  return comparePositionsIn(order, a, b) >= 0 ? a : b;
}

/** Whether an item at `position` of a list in `order` is one the coverage vouches for. */
export function isCovered(position: PagePosition, coverage: Coverage | undefined, order: ConversationOrder = 'newest_first'): boolean {
  return coverage === 'end' || (coverage !== undefined && comparePositionsIn(order, position, coverage) <= 0);
}

/** What a coverage of a list in `from`'s order says of a list in `to`'s order: all of it when it reached the end; nothing otherwise when the orders differ. */
function across(coverage: Coverage | undefined, from: ConversationOrder, to: ConversationOrder): Coverage | undefined {
  return from === to || coverage === 'end' ? coverage : undefined;
}

export class PageCoverage {
  readonly #statements;
  #forgets = 0;

  constructor(db: Database.Database) {
    this.#statements = {
      get: db.prepare<[string], { value: string }>('select value from sync_state where key = ?'),
      set: db.prepare('insert into sync_state (key, value) values (?, ?) on conflict (key) do update set value = excluded.value'),
      delete: db.prepare('delete from sync_state where key = ?'),
      deleteAll: db.prepare(`delete from sync_state where key like '${PREFIX}%'`),
    };
  }

  get(list: CoveredList): Coverage | undefined {
    const value = this.#statements.get.get(keyOf(list))?.value;
    if (value === undefined) return undefined;
    return value === END ? 'end' : decodePageCursor(value);
  }

  /**
   * How far down the cache vouches for `list`: 'all' holds every conversation the viewer may see
   * (in its state), so as far as it is covered, so are 'mine' and 'unassigned'; and a list holds
   * every conversation of each number, so as far as it is covered, so is its list of one number;
   * and a list holds every conversation of each label (the labels ride in each summary), so as far
   * as it is covered, so is its list of one label.
   */
  vouchedFor(list: CoveredList): Coverage | undefined {
    if (list.kind !== 'conversations') return this.get(list);
    const order = orderOf(list);
    if (list.label !== undefined) return deeper(this.get(list), this.vouchedFor({ ...list, label: undefined }), order);
    const { filter, state } = list;
    if (list.number !== undefined) return deeper(this.get(list), this.vouchedFor({ kind: 'conversations', filter, state }), order);
    if (filter === 'all') return this.get(list);
    // 'all' is newest first; the queue (unassigned, open) is not, and takes from it only a coverage to the end.
    const all: CoveredList = { kind: 'conversations', filter: 'all', state };
    return deeper(this.get(list), across(this.get(all), orderOf(all), order), order);
  }

  /**
   * Counts every forgetting: a read that began before one cannot vouch for what it stored (the
   * rows it read may be gone, or refused), so it passes the count it saw to `extend`.
   */
  get forgets(): number {
    return this.#forgets;
  }

  /** The cache now holds the list down to `reached`, unless something was forgotten since `forgets` was read. */
  extend(list: CoveredList, reached: Coverage, forgets: number): void {
    if (forgets !== this.#forgets) return;
    const next = deeper(this.get(list), reached, orderOf(list));
    if (next === undefined) return;
    this.#statements.set.run(keyOf(list), next === 'end' ? END : encodePageCursor(next));
  }

  /** A conversation forgotten: whatever was known of its messages, notes and history goes with them. */
  forgetMessagesOf(conversationId: number): void {
    this.#forgets += 1;
    this.#statements.delete.run(keyOf({ kind: 'messages', conversationId }));
    this.#statements.delete.run(keyOf({ kind: 'notes', conversationId }));
    this.#statements.delete.run(keyOf({ kind: 'history', conversationId }));
  }

  forgetAll(): void {
    this.#forgets += 1;
    this.#statements.deleteAll.run();
  }
}
