/**
 * Webhook bodies in Meta's exact shape (../shared/docs/cloud-api.md §3): string timestamps, contacts with
 * profile, wa_id and BSUID. Used by the sandbox's simulated customers, the tests and the benchmarks.
 */
import crypto from 'node:crypto';

export interface SandboxBusiness {
  readonly wabaId: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  /** What the desk calls the number (shown on its conversations). */
  readonly displayName?: string;
}

export interface SandboxCustomer {
  readonly waId: string;
  readonly userId: string;
  readonly name: string;
  readonly language: 'en' | 'it';
}

export type InboundPayload =
  | { type: 'text'; text: { body: string } }
  | { type: 'image'; image: { id: string; mime_type: string; sha256: string; caption?: string } }
  | { type: 'document'; document: { id: string; mime_type: string; sha256: string; filename: string; caption?: string } }
  | { type: 'location'; location: { latitude: number; longitude: number; name?: string; address?: string } }
  | { type: 'reaction'; reaction: { message_id: string; emoji: string } }
  | { type: 'interactive'; interactive: { type: 'button_reply'; button_reply: { id: string; title: string } } }
  | { type: 'interactive'; interactive: { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } } };

export function newWamid(): string {
  return `wamid.SBX${crypto.randomBytes(18).toString('base64url')}`;
}

function envelope(business: SandboxBusiness, field: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              ...value,
            },
            field,
          },
        ],
      },
    ],
  };
}

export function inboundMessageWebhook(
  business: SandboxBusiness,
  customer: SandboxCustomer,
  payload: InboundPayload,
  options: { wamid?: string; timestampMs?: number; replyTo?: string } = {},
): { wamid: string; body: string } {
  const wamid = options.wamid ?? newWamid();
  const message = {
    from: customer.waId,
    from_user_id: customer.userId,
    id: wamid,
    timestamp: String(Math.floor((options.timestampMs ?? Date.now()) / 1000)),
    ...(options.replyTo === undefined ? {} : { context: { from: business.displayPhoneNumber, id: options.replyTo } }),
    ...payload,
  };
  const body = envelope(business, 'messages', {
    contacts: [{ profile: { name: customer.name }, wa_id: customer.waId, user_id: customer.userId }],
    messages: [message],
  });
  return { wamid, body: JSON.stringify(body) };
}

export type SandboxStatus = 'sent' | 'delivered' | 'read' | 'failed';

export function statusWebhook(
  business: SandboxBusiness,
  recipient: { waId: string | undefined; userId: string | undefined },
  wamid: string,
  status: SandboxStatus,
  options: { timestampMs?: number; error?: { code: number; title: string; details: string } } = {},
): string {
  const statusObject = {
    id: wamid,
    status,
    timestamp: String(Math.floor((options.timestampMs ?? Date.now()) / 1000)),
    ...(recipient.waId === undefined ? {} : { recipient_id: recipient.waId }),
    ...(recipient.userId === undefined ? {} : { recipient_user_id: recipient.userId }),
    ...(status === 'failed' && options.error !== undefined
      ? { errors: [{ code: options.error.code, title: options.error.title, message: options.error.title, error_data: { details: options.error.details } }] }
      : {
          conversation: { id: crypto.randomBytes(12).toString('hex'), origin: { type: 'service' } },
          pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
        }),
  };
  return JSON.stringify(envelope(business, 'messages', { statuses: [statusObject] }));
}
