/**
 * A conversation's scheduled messages and the agent's reminder, for the conversation's screen:
 * online, the server's lists (the server keeps and runs them, and decides who may see them),
 * kept in the cache as of the feed position the request was sent at; offline, what the cache
 * holds, as the feed last brought it (`scheduled_message`, `reminder`: inbox-cache.ts) — nothing
 * of a conversation the cache does not hold (`conversation_not_cached`). Scheduling, editing and cancelling stay online only.
 */
import { CodedError } from '../../common/errors/coded-error.js';
import type { ReminderList, ScheduledMessageList } from '../../common/schedule/scheduled-message.js';
import type { OpenCache } from '../cache/cache-worker-client.js';
import type { scheduleApi } from '../connection/schedule-api.js';

export interface ScheduleSyncDeps {
  readonly cache: Pick<OpenCache, 'lastSeq' | 'readSchedule' | 'storeSchedule'>;
  readonly api: Pick<ReturnType<typeof scheduleApi>, 'list' | 'reminders'>;
  /** A call with the agent's token (a refusal that ends the session is acted on). */
  readonly call: <T>(work: (token: string) => Promise<T>) => Promise<T>;
  readonly online: () => boolean;
}

const notCached = () => new CodedError('conversation_not_cached', 'This conversation is not on this workstation yet: it opens once the server can be reached.');

export class ScheduleSync {
  readonly #deps: ScheduleSyncDeps;

  constructor(deps: ScheduleSyncDeps) {
    this.#deps = deps;
  }

  async scheduled(conversationId: number): Promise<ScheduledMessageList> {
    const { cache, api, call, online } = this.#deps;
    if (!online()) return { items: (await this.#cached(conversationId)).scheduled };
    const askedAt = await cache.lastSeq();
    const list = await call((token) => api.list(token, conversationId));
    await cache.storeSchedule(conversationId, { scheduled: list.items }, askedAt);
    return list;
  }

  async reminders(conversationId: number): Promise<ReminderList> {
    const { cache, api, call, online } = this.#deps;
    if (!online()) return { items: (await this.#cached(conversationId)).reminders };
    const askedAt = await cache.lastSeq();
    const list = await call((token) => api.reminders(token, conversationId));
    await cache.storeSchedule(conversationId, { reminders: list.items }, askedAt);
    return list;
  }

  async #cached(conversationId: number) {
    const held = await this.#deps.cache.readSchedule(conversationId);
    if (held === undefined) throw notCached();
    return held;
  }
}
