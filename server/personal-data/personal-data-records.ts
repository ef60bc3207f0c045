/**
 * What the store keeps of personal data asked of a contact, read back for the client API, the
 * admin export and the CLI: the requests (kinds, purpose, who, when) and the consent answers,
 * newest first. Never the customer's data itself, which stays in the messages.
 */
import type { ContactPersonalData, ConsentView, PersonalDataRequestView } from '../../common/api/personal-data.js';
import { PERSONAL_DATA_KINDS } from '../../common/personal-data/personal-data-words.js';
import type { PersonalDataKind } from '../../common/personal-data/personal-data-words.js';
import type { Kysely } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';

type StoreReader = Kysely<InboxDatabase>;

function kindsOf(stored: string): PersonalDataKind[] {
  const listed = stored.split(',');
  return PERSONAL_DATA_KINDS.filter((kind) => listed.includes(kind));
}

const agentOf = (id: number | null, name: string | null) => (id === null ? null : { agentId: id, name: name ?? `#${id}` });

export async function personalDataOfContact(db: StoreReader, contactId: number): Promise<ContactPersonalData> {
  const requests = await db
    .selectFrom('personal_data_requests as request')
    .leftJoin('agents as agent', 'agent.id', 'request.requested_by_agent_id')
    .selectAll('request')
    .select('agent.display_name as agent_name')
    .where('request.contact_id', '=', contactId)
    .orderBy('request.id', 'desc')
    .execute();
  const consents = await db
    .selectFrom('personal_data_consents as consent')
    .leftJoin('agents as agent', 'agent.id', 'consent.recorded_by_agent_id')
    .selectAll('consent')
    .select('agent.display_name as agent_name')
    .where('consent.contact_id', '=', contactId)
    .orderBy('consent.id', 'desc')
    .execute();
  const requestViews: PersonalDataRequestView[] = requests.map((row) => ({
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    kinds: kindsOf(row.kinds),
    purpose: row.purpose,
    purposeText: row.purpose_text,
    language: row.language,
    requestedBy: agentOf(row.requested_by_agent_id, row.agent_name),
    requestedAt: Number(row.requested_at),
  }));
  const consentViews: ConsentView[] = consents.map((row) => ({
    id: row.id,
    conversationId: row.conversation_id,
    requestId: row.request_id,
    consent: row.consent,
    wording: row.wording,
    source: row.source,
    recordedBy: agentOf(row.recorded_by_agent_id, row.agent_name),
    recordedAt: Number(row.recorded_at),
  }));
  return { requests: requestViews, consents: consentViews, promotionsConsent: consentViews[0]?.consent ?? null };
}
