/**
 * What a safety rule did, as /metrics counts it (`sportello_safety_actions_total{rule,action}`)
 * and the audit log records it (`safety.<rule>.<action>`): closed lists, so the counter's labels
 * stay few and every audit event name is known (server/safety/safety-actions.ts).
 */
export const SAFETY_RULES = ['attachments', 'links', 'codes', 'cards', 'personal_data', 'blocking', 'groups', 'masked_numbers', 'briefing'] as const;
export type SafetyRule = (typeof SAFETY_RULES)[number];

/**
 * refused: not let through (a file, a card number, a link to a blocked host); warned: let through
 * with a warning shown; held: waits for the agent to confirm; confirmed: the agent confirmed a
 * held message; redacted: a part was masked before it was kept; quarantined: a file set apart;
 * revealed: a masked number shown on a reason; acknowledged: the briefing acknowledged;
 * explained: a line saying what it is for was added (personal data asked with its purpose);
 * consent_recorded: a customer's yes or no to promotions was kept.
 */
export const SAFETY_ACTIONS = [
  'refused',
  'warned',
  'held',
  'confirmed',
  'redacted',
  'quarantined',
  'revealed',
  'acknowledged',
  'explained',
  'consent_recorded',
] as const;
export type SafetyAction = (typeof SAFETY_ACTIONS)[number];
