/** The blocked customers' table (migration 0025), as Kysely sees it. */
import type { Generated } from 'kysely';
import type { WhatsAppBlockOutcome } from '../../common/api/blocks.js';

/** One contact blocked on one business number, while the block holds (unblocking deletes the row). */
export interface CustomerBlocksTable {
  id: Generated<number>;
  contact_id: number;
  business_phone_number_id: string;
  /** The agent's words (3–500 characters): why. Never the customer's message. */
  reason: string;
  blocked_by_agent_id: number;
  blocked_at: number;
  /** What WhatsApp answered the Cloud API's block_users call on this number. */
  whatsapp_outcome: WhatsAppBlockOutcome;
  /** Meta's code when it failed (`meta_131047`), or ours (`network`, `channel_unavailable`). */
  whatsapp_error_code: string | null;
  whatsapp_checked_at: number | null;
}

export interface BlockTables {
  customer_blocks: CustomerBlocksTable;
}
