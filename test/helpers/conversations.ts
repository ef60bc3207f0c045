import type { SandboxBusiness, SandboxCustomer } from '../../server/sandbox/webhook-builder.js';
import type { TestServer } from './test-server.js';

/** The customer writes (a signed webhook, as Meta delivers it) to `business`, the first number unless said; returns their conversation and message. */
export async function customerWrites(
  t: TestServer,
  customer: SandboxCustomer,
  text = 'Hello, I need help with my order',
  business?: SandboxBusiness,
): Promise<{ conversationId: number; messageId: number; wamid: string }> {
  const { wamid, delivered } = await t.customers.write(customer, { type: 'text', text: { body: text } }, business);
  if (!delivered) throw new Error('the webhook was not accepted');
  const row = await t.server.database.db.selectFrom('messages').select(['id', 'conversation_id']).where('wamid', '=', wamid).executeTakeFirstOrThrow();
  return { conversationId: row.conversation_id, messageId: row.id, wamid };
}

export function customer(t: TestServer, index = 0): SandboxCustomer {
  const found = t.customers.customers[index];
  if (found === undefined) throw new Error(`the test server has no customer ${index}`);
  return found;
}
