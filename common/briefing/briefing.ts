/**
 * The security briefing (issue 13): a short document of rules, each in English and Italian, that
 * every agent acknowledges rule by rule before their inbox opens, again when an admin publishes a
 * new version, and again once the safety policy's `briefing.renewAfterDays` have passed. Version 1
 * is built in (BUILT_IN_BRIEFING); an admin publishes each later version whole.
 */
import { z } from 'zod';

export const BriefingWords = z.object({ en: z.string().trim().min(1).max(2000), it: z.string().trim().min(1).max(2000) }).strict();
export type BriefingWords = z.infer<typeof BriefingWords>;

export const BriefingRuleId = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a rule id is 2 to 40 lower-case letters, digits or _, starting with a letter');

export const BriefingRule = z
  .object({
    id: BriefingRuleId,
    title: z.object({ en: z.string().trim().min(1).max(120), it: z.string().trim().min(1).max(120) }).strict(),
    text: BriefingWords,
  })
  .strict();
export type BriefingRule = z.infer<typeof BriefingRule>;

/** The rules of a version: 1 to 30, each id once. */
export const BriefingRules = z
  .array(BriefingRule)
  .min(1)
  .max(30)
  .superRefine((rules, context) => {
    const seen = new Set<string>();
    for (const [index, rule] of rules.entries()) {
      if (seen.has(rule.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `the rule id ${rule.id} is there twice` });
      seen.add(rule.id);
    }
  });

/** One version of the briefing; `publishedAt`/`publishedBy` null for the built-in version 1. */
export const BriefingVersionView = z.object({
  version: z.number().int().min(1),
  rules: z.array(BriefingRule),
  publishedAt: z.number().int().nullable(),
  publishedBy: z.string().nullable(),
});
export type BriefingVersionView = z.infer<typeof BriefingVersionView>;

/**
 * The briefing in force and where the signed-in agent stands with it: `required` when their inbox
 * stays shut until they acknowledge it (never acknowledged this version, or their acknowledgement
 * is older than the renewal period); `renewBy` when their acknowledgement lapses.
 */
export const AgentBriefingView = z.object({
  briefing: BriefingVersionView,
  required: z.boolean(),
  acknowledgedVersion: z.number().int().nullable(),
  acknowledgedAt: z.number().int().nullable(),
  renewBy: z.number().int().nullable(),
  renewAfterDays: z.number().int().min(1),
});
export type AgentBriefingView = z.infer<typeof AgentBriefingView>;

/** The agent acknowledges every rule of `version` (the one in force), each by its id. */
export const AcknowledgeBriefingRequest = z.object({ version: z.number().int().min(1), ruleIds: z.array(BriefingRuleId).min(1).max(30) }).strict();
export type AcknowledgeBriefingRequest = z.infer<typeof AcknowledgeBriefingRequest>;

/** A new version, whole, made from `fromVersion` (the one in force): a newer one published meanwhile refuses it. */
export const PublishBriefingRequest = z.object({ fromVersion: z.number().int().min(1), rules: BriefingRules }).strict();
export type PublishBriefingRequest = z.infer<typeof PublishBriefingRequest>;

/** Each agent who answers customers, with the last version they acknowledged and whether that holds now. */
export const BriefingAcknowledgementRow = z.object({
  agentId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  acknowledgedVersion: z.number().int().nullable(),
  acknowledgedAt: z.number().int().nullable(),
  current: z.boolean(),
});
export type BriefingAcknowledgementRow = z.infer<typeof BriefingAcknowledgementRow>;

export const BriefingAcknowledgementsView = z.object({
  version: z.number().int().min(1),
  renewAfterDays: z.number().int().min(1),
  agents: z.array(BriefingAcknowledgementRow),
});
export type BriefingAcknowledgementsView = z.infer<typeof BriefingAcknowledgementsView>;

/** When an acknowledgement made at `acknowledgedAt` lapses. */
export function renewalDue(acknowledgedAt: number, renewAfterDays: number): number {
  return acknowledgedAt + renewAfterDays * 24 * 60 * 60 * 1000;
}

const rule = (id: string, title: [string, string], text: [string, string]): BriefingRule => ({
  id,
  title: { en: title[0], it: title[1] },
  text: { en: text[0], it: text[1] },
});

/** Version 1, built in: what every agent acknowledges until an admin publishes another. */
export const BUILT_IN_BRIEFING: readonly BriefingRule[] = [
  rule(
    'company_computers',
    ['Company computers only', 'Solo computer aziendali'],
    [
      'Answer customers only from the workstation the company gave you. Never from a personal phone, a home computer or WhatsApp Web.',
      'Rispondi ai clienti solo dalla postazione che ti ha dato l’azienda. Mai da un telefono personale, da un computer di casa o da WhatsApp Web.',
    ],
  ),
  rule(
    'authenticator',
    ['Your authenticator and recovery codes', 'Il tuo autenticatore e i codici di recupero'],
    [
      'Keep the authenticator app on a phone only you use, and your recovery codes somewhere safe and offline. If you lose either, tell IT at once.',
      'Tieni l’app di autenticazione su un telefono che usi solo tu, e i codici di recupero in un posto sicuro e non in rete. Se perdi l’uno o gli altri, avvisa subito l’IT.',
    ],
  ),
  rule(
    'nobody_asks_for_a_code',
    ['Nobody asks for a code', 'Nessuno chiede un codice'],
    [
      'WhatsApp, Meta, IT and your colleagues never ask for a verification code or your sign-in code. Never give one, and never ask a customer for theirs.',
      'WhatsApp, Meta, l’IT e i colleghi non chiedono mai un codice di verifica o il tuo codice di accesso. Non darlo mai, e non chiedere mai quello di un cliente.',
    ],
  ),
  rule(
    'no_executables',
    ['No programs or scripts', 'Niente programmi o script'],
    [
      'Never send or open programs, scripts or macros. Sportello refuses them; do not look for a way around it.',
      'Non inviare e non aprire mai programmi, script o macro. Sportello li rifiuta: non cercare un modo per aggirarlo.',
    ],
  ),
  rule(
    'suspicious_links',
    ['Suspicious links', 'Link sospetti'],
    [
      'Look at the real address Sportello shows before you open a link. When a link is marked suspicious, do not open it; ask a supervisor if in doubt.',
      'Guarda l’indirizzo reale che Sportello mostra prima di aprire un link. Se un link è segnalato come sospetto, non aprirlo; nel dubbio chiedi a un supervisore.',
    ],
  ),
  rule(
    'card_numbers',
    ['Card numbers and payment links', 'Numeri di carta e link di pagamento'],
    [
      'Never write or ask for a card number in a chat. Send a payment link instead, and tell the customer to send no card details here.',
      'Non scrivere e non chiedere mai un numero di carta in chat. Invia invece un link di pagamento, e di’ al cliente di non mandare qui i dati della carta.',
    ],
  ),
  rule(
    'personal_data_purpose',
    ['Say why you ask for personal data', 'Di’ perché chiedi dati personali'],
    [
      'Ask only for the personal data the request needs, and always tell the customer what it is for.',
      'Chiedi solo i dati personali che servono alla richiesta, e di’ sempre al cliente a cosa servono.',
    ],
  ),
  rule(
    'no_groups',
    ['No groups', 'Niente gruppi'],
    [
      'Talk to each customer one to one. Never add customers to a group or share one customer’s number with another.',
      'Parla con ogni cliente da solo. Non aggiungere mai clienti a un gruppo e non dare a un cliente il numero di un altro.',
    ],
  ),
  rule(
    'stay_on_whatsapp',
    ['Keep the conversation here', 'Resta in questa conversazione'],
    [
      'Keep the conversation on the company’s WhatsApp number in Sportello. Do not move it to a personal number, e-mail or another app.',
      'Tieni la conversazione sul numero WhatsApp dell’azienda, in Sportello. Non spostarla su un numero personale, un’e-mail o un’altra app.',
    ],
  ),
  rule(
    'friendly_and_careful',
    ['Friendly and careful', 'Cordiale e attento'],
    [
      'Be friendly and patient, and careful with what you send: once sent, a message cannot be taken back from the customer’s phone.',
      'Sii cordiale e paziente, e attento a ciò che invii: una volta inviato, un messaggio non si può togliere dal telefono del cliente.',
    ],
  ),
];
