/**
 * Webhook bodies for what Meta's recorded fixtures (../shared/fixtures) do not show: a body nested
 * thousands of levels deep, a message with one field of an unexpected type, a sender named only in
 * `contacts[].user_id`. Built here, in Meta's shape (../shared/docs/cloud-api.md §3), never copied in.
 */
import type { SandboxBusiness } from '../../server/sandbox/webhook-builder.js';
import { newWamid } from '../../server/sandbox/webhook-builder.js';

/** Meta's envelope around one change of `field` (a JSON text, as it goes over the wire). */
export function changeBody(business: SandboxBusiness, value: Record<string, unknown>, field = 'messages'): string {
  return JSON.stringify(changeEnvelope(business, value, field));
}

export function changeEnvelope(business: SandboxBusiness, value: Record<string, unknown>, field = 'messages'): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field,
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export interface EdgeCustomer {
  readonly waId: string;
  readonly userId: string;
  readonly name: string;
}

/** One inbound message from `customer`, its per-type object as given. */
export function inboundBody(
  business: SandboxBusiness,
  customer: EdgeCustomer,
  message: Record<string, unknown>,
  options: { wamid?: string; timestampMs?: number } = {},
): { wamid: string; body: string } {
  const wamid = options.wamid ?? newWamid();
  const body = changeBody(business, {
    contacts: [{ profile: { name: customer.name }, wa_id: customer.waId, user_id: customer.userId }],
    messages: [{ from: customer.waId, from_user_id: customer.userId, id: wamid, timestamp: epochSeconds(options.timestampMs), ...message }],
  });
  return { wamid, body };
}

function epochSeconds(ms = Date.now()): string {
  return String(Math.floor(ms / 1000));
}

/** `[[[…]]]`, `depth` levels: the JSON text, built without recursion. */
export function nestedArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** A body whose first entry is an array nested `depth` levels deep. */
export function deeplyNestedEntryBody(depth: number): string {
  return `{"object":"whatsapp_business_account","entry":[${nestedArrays(depth)}]}`;
}

/** A well-formed text message whose `referral` holds a value nested `depth` levels deep. */
export function deeplyNestedMessageBody(business: SandboxBusiness, customer: EdgeCustomer, depth: number): { wamid: string; body: string } {
  const marker = '"__deep__"';
  const { wamid, body } = inboundBody(business, customer, { type: 'text', text: { body: 'Hello from deep down' }, referral: { source_type: '__deep__' } });
  return { wamid, body: body.replace(marker, nestedArrays(depth)) };
}

/** A location whose latitude is text: everything else readable. */
export const LOCATION_WITH_TEXT_LATITUDE = {
  type: 'location',
  location: { latitude: 'forty-five north', longitude: 9.1916, name: 'Duomo di Milano', address: 'Piazza del Duomo, 20122 Milano' },
} as const;

/** An order whose first item's quantity is a word, not a number. */
export const ORDER_WITH_TEXT_QUANTITY = {
  type: 'order',
  order: {
    catalog_id: '354160437058781',
    text: 'For Saturday, please',
    product_items: [
      { product_retailer_id: 'HAMBURGER', quantity: 'three', item_price: 30, currency: 'EUR' },
      { product_retailer_id: 'SODA', quantity: 2, item_price: 10, currency: 'EUR' },
    ],
  },
} as const;

/** A text whose reply context is a string instead of an object. */
export const TEXT_WITH_MALFORMED_CONTEXT = { type: 'text', text: { body: 'Is it in stock?' }, context: 'wamid.not-an-object' } as const;

/** A text whose body is a number: the message has nothing readable to show but its kind. */
export const TEXT_WITH_NUMERIC_BODY = { type: 'text', text: { body: 4815162342 } } as const;

/**
 * A message with neither `from` nor `from_user_id`: the sender is named only by the one entry of
 * `contacts[]`, by BSUID (and username), as Meta sends for customers who use a username.
 */
export function senderOnlyInContactsBody(
  business: SandboxBusiness,
  contact: { userId: string; parentUserId?: string; username?: string; name?: string; waId?: string },
  text: string,
  options: { wamid?: string; timestampMs?: number } = {},
): { wamid: string; body: string } {
  const wamid = options.wamid ?? newWamid();
  const profile = { ...(contact.name === undefined ? {} : { name: contact.name }), ...(contact.username === undefined ? {} : { username: contact.username }) };
  const body = changeBody(business, {
    contacts: [
      {
        profile,
        user_id: contact.userId,
        ...(contact.parentUserId === undefined ? {} : { parent_user_id: contact.parentUserId }),
        ...(contact.waId === undefined ? {} : { wa_id: contact.waId }),
      },
    ],
    messages: [{ id: wamid, timestamp: epochSeconds(options.timestampMs), type: 'text', text: { body: text } }],
  });
  return { wamid, body };
}

/** Two customers in `contacts[]` and a message naming neither: which one wrote cannot be known. */
export function senderAmbiguousBody(business: SandboxBusiness, text: string): { wamid: string; body: string } {
  const wamid = newWamid();
  const body = changeBody(business, {
    contacts: [
      { profile: { name: 'First' }, user_id: 'US.1111111111111111111' },
      { profile: { name: 'Second' }, user_id: 'US.2222222222222222222' },
    ],
    messages: [{ id: wamid, timestamp: epochSeconds(), type: 'text', text: { body: text } }],
  });
  return { wamid, body };
}
