/**
 * Two replicas of the inbox server on one PostgreSQL database, each listening, each with its own
 * event feed, outbound dispatcher and job runner, one Meta stand-in between them (docs/replicas.md):
 * what one replica takes reaches agents connected to the other, and the work they share is done
 * once. PostgreSQL only (the `postgres` project): two servers cannot share one SQLite file.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../common/api/events.js';
import { customer, customerWrites } from '../helpers/conversations.js';
import { approvedDevice, enrolledAgent, openEventSocket } from '../helpers/identity-setup.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import { LISTENER_APPLICATION_NAME } from '../../server/store/notification-listener.js';
import type { TestServerOptions, TestServer } from '../helpers/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  // The replica first: the first server made the data directory (and database) and removes it.
  for (const server of servers.splice(0).reverse()) await server.close();
});

/** Polls long enough never to fire in a test: only a notification from the other replica wakes a feed. */
const NO_POLLING = 600_000;

async function twoReplicas(options: TestServerOptions = {}): Promise<[TestServer, TestServer]> {
  const a = await startTestServer(options);
  servers.push(a);
  const b = await startTestServer({ ...options, dataDir: a.dataDir, replicaOf: a });
  servers.push(b);
  return [a, b];
}

const messageIn = (messageId: number) => (event: ServerEvent) => event.type === 'message' && event.message.id === messageId;

describe('two replicas on one PostgreSQL database', () => {
  it('deliver a webhook taken by one to an agent whose event socket is on the other, woken by NOTIFY (their feeds and job runners never poll)', async () => {
    const [a, b] = await twoReplicas({ eventFeed: { pollMs: NO_POLLING }, jobs: { pollMs: NO_POLLING } });
    const device = await approvedDevice(a);
    const agent = await enrolledAgent(a, device, 'rita', 'supervisor');
    const onB = await openEventSocket(b, device, agent.session.accessToken);
    await onB.next((event) => event.type === 'ready');

    const first = await customerWrites(a, customer(a, 0), 'taken by replica A');
    await onB.next(messageIn(first.messageId), 10_000);
    // And again, after the first notification: the listener keeps listening.
    const second = await customerWrites(a, customer(a, 1), 'taken by replica A again');
    await onB.next(messageIn(second.messageId), 10_000);

    // The listeners' connections are cut (as a PostgreSQL restart would): they listen again by themselves.
    const cut = await sql<{ cut: boolean }>`select pg_terminate_backend(pid) as cut from pg_stat_activity
      where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()`.execute(a.server.database.db);
    expect(cut.rows.length).toBe(2);
    await eventually(
      async () => {
        const back = await sql`select 1 from pg_stat_activity where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()`.execute(
          a.server.database.db,
        );
        return back.rows.length === 2 ? true : undefined;
      },
      10_000,
      'both listeners connected again',
    );
    const third = await customerWrites(a, customer(a, 2), 'taken by replica A after the cut');
    await onB.next(messageIn(third.messageId), 10_000);
    onB.close();
  }, 60_000);
});
