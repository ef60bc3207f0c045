/** The personal-data tables (migration 0029), as Kysely sees them. */
import type { Generated } from 'kysely';
import type { ConsentAnswer, ConsentSource } from '../../common/api/personal-data.js';
import type { PersonalDataPurposeKind, PurposeLanguage } from '../../common/personal-data/personal-data-purpose.js';

/** One message that asked a contact for personal data, with its purpose. Never the data itself. */
export interface PersonalDataRequestsTable {
  id: Generated<number>;
  contact_id: number;
  conversation_id: number;
  message_id: number;
  /** The kinds asked (PERSONAL_DATA_KINDS), comma-separated, in that order. */
  kinds: string;
  purpose: PersonalDataPurposeKind;
  /** The agent's words when the purpose is `other`. */
  purpose_text: string | null;
  /** The language the customer was told the purpose in. */
  language: PurposeLanguage;
  requested_by_agent_id: number | null;
  requested_at: number;
}

/** A contact's answer to being sent promotions. */
export interface PersonalDataConsentsTable {
  id: Generated<number>;
  contact_id: number;
  conversation_id: number;
  /** The promotions request it answers, when known. */
  request_id: number | null;
  consent: ConsentAnswer;
  /** What the customer was asked, in the words they saw. */
  wording: string;
  source: ConsentSource;
  /** The agent who recorded it; null for a button reply. */
  recorded_by_agent_id: number | null;
  /** The customer's button reply that gave it. */
  reply_message_id: number | null;
  recorded_at: number;
}

export interface PersonalDataTables {
  personal_data_requests: PersonalDataRequestsTable;
  personal_data_consents: PersonalDataConsentsTable;
}
