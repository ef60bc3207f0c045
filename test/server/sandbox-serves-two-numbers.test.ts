/**
 * The sandbox stands in for a business account with two numbers on one app: its customers write
 * to both (so `npm start` shows conversations of each), and its Graph stand-in sends from a
 * number only with that number's own token, as Meta does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GraphApiError, GraphClient } from '../../server/cloud-api/graph-client.js';
import { eventually } from '../helpers/store-queries.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer | undefined;
afterEach(async () => {
  t?.customers.stop();
  await t?.close();
  t = undefined;
});

describe('the sandbox’s two numbers', () => {
  it('has its customers write to both numbers, each with its own name', async () => {
    t = await startTestServer({ customers: 10 });
    const s = t;
    expect(s.sandbox.numbers.map((number) => number.displayName)).toEqual(['Sportello Support', 'Sportello Sales']);
    s.customers.start(40);
    const numbers = await eventually(
      async () => {
        const rows = await s.server.database.db.selectFrom('conversations').select('business_phone_number_id').distinct().execute();
        return rows.length === 2 ? rows.map((row) => row.business_phone_number_id).sort() : undefined;
      },
      10_000,
      'conversations on both numbers',
    );
    expect(numbers).toEqual(s.sandbox.businesses.map((business) => business.phoneNumberId).sort());
    const supervisor = { agentId: 0, roles: ['supervisor' as const], memberOf: [], supervises: [1] };
    const views = (await s.server.views.listConversations(supervisor, 'all', 'open', undefined, 200)).items;
    expect(new Set(views.map((view) => view.businessNumberName))).toEqual(new Set(['Sportello Support', 'Sportello Sales']));
  });

  it('sends from a number only with that number’s token', async () => {
    t = await startTestServer();
    const [first, second] = t.sandbox.numbers;
    const { graphApiUrl, graphApiVersion } = t.sandbox.channel;
    const wrongToken = new GraphClient({ graphApiUrl, graphApiVersion, phoneNumberId: second?.phoneNumberId ?? '', accessToken: first?.accessToken ?? '' });
    const refused = await wrongToken.markRead('wamid.SBXnothing').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphApiError);
    expect((refused as GraphApiError).failure.metaCode).toBe(10);
    const ownToken = new GraphClient({ graphApiUrl, graphApiVersion, phoneNumberId: second?.phoneNumberId ?? '', accessToken: second?.accessToken ?? '' });
    await expect(ownToken.markRead('wamid.SBXnothing')).resolves.toBeUndefined();
  });
});
