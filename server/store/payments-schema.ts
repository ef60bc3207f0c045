/** The payment links' tables (migration 0028), as Kysely sees them. */
import type { Generated } from 'kysely';
import type { PaymentProviderKind } from '../../common/payments/payment-links.js';

/** The one row (`id` 1) of the payment provider an admin set; no row: none. */
export interface PaymentProviderTable {
  id: number;
  kind: PaymentProviderKind;
  /** The Stripe secret key, sealed under the server key (server/payments/payment-provider-settings.ts); never returned. */
  stripe_key_sealed: string | null;
  fixed_url: string | null;
  /** The audit log's actor name of who changed it last (`agent:7:alice`, `cli:root`). */
  changed_by: string;
  changed_at: number;
}

/** One payment an agent asked for in a conversation. */
export interface PaymentRequestsTable {
  id: Generated<number>;
  conversation_id: number;
  agent_id: number;
  /** Minor units (cents). */
  amount: number;
  currency: string;
  description: string;
  provider: 'stripe' | 'fixed_url';
  url: string;
  /** Stripe's id of the Payment Link (`plink_…`); null for a fixed page. */
  provider_ref: string | null;
  message_id: number;
  idempotency_key: string;
  /** SHA-256 of what was asked: the same key with another request is refused. */
  request_hash: string;
  created_at: number;
}

export interface PaymentTables {
  payment_provider: PaymentProviderTable;
  payment_requests: PaymentRequestsTable;
}
