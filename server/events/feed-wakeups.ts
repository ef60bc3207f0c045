/**
 * Wakes this replica's event feed when another replica numbered events (issue 15, docs/replicas.md):
 * on PostgreSQL a LISTEN on the stamping passes' channel (server/store/feed-sequencer.ts), whose
 * notification only pokes the feed (delivering what is numbered) and never stamps or notifies
 * again. The feed's poll stays as the fallback for a notification lost in an outage. SQLite: one
 * process, nothing to listen to.
 */
import type { Logger } from 'pino';
import type { FeedSequencer } from '../store/feed-sequencer.js';
import { FEED_CHANNEL } from '../store/feed-sequencer.js';
import { NO_NOTIFICATIONS, PostgresNotificationListener } from '../store/notification-listener.js';
import type { NotificationListener } from '../store/notification-listener.js';

export function feedWakeups(
  databaseUrl: string | undefined,
  sequencer: FeedSequencer,
  feed: { poke(): void },
  log: Logger,
  retryMs?: number,
): NotificationListener {
  if (databaseUrl === undefined) return NO_NOTIFICATIONS;
  return new PostgresNotificationListener({ databaseUrl, channel: FEED_CHANNEL, origin: sequencer.origin, onNotify: () => feed.poke(), log, retryMs });
}
