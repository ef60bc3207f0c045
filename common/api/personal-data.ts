/**
 * Personal data asked of a customer, as the client API shows it (issue 13, "Personal data only
 * with its purpose"): each request (the kinds, what for, in which language the customer was told,
 * who asked and when, the message that asked) and the customer's answers to a promotions request
 * (consent yes or no, the wording, who recorded it: an agent, or the customer's own button reply).
 * Never the customer's data itself.
 */
import { z } from 'zod';
import { PERSONAL_DATA_PURPOSES, PURPOSE_LANGUAGES } from '../personal-data/personal-data-purpose.js';
import { PERSONAL_DATA_KINDS } from '../personal-data/personal-data-words.js';
import { HistoryAgent } from './conversation-lifecycle.js';

const Id = z.number().int().positive();

export const CONSENT_ANSWERS = ['yes', 'no'] as const;
export type ConsentAnswer = (typeof CONSENT_ANSWERS)[number];
/** agent: an agent recorded what the customer said; button_reply: the customer tapped Yes or No. */
export const CONSENT_SOURCES = ['agent', 'button_reply'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const CONSENT_WORDING_MIN = 3;
export const CONSENT_WORDING_MAX = 500;

export const RecordConsentBody = z
  .object({
    consent: z.enum(CONSENT_ANSWERS),
    /** What the customer was asked, in the words they saw (3–500 characters). */
    wording: z
      .string()
      .trim()
      .min(CONSENT_WORDING_MIN, `the wording must be at least ${CONSENT_WORDING_MIN} characters`)
      .max(CONSENT_WORDING_MAX, `the wording must be at most ${CONSENT_WORDING_MAX} characters`),
  })
  .strict();
export type RecordConsentBody = z.infer<typeof RecordConsentBody>;

export const PersonalDataRequestView = z.object({
  id: Id,
  conversationId: Id,
  messageId: Id,
  kinds: z.array(z.enum(PERSONAL_DATA_KINDS)),
  purpose: z.enum(PERSONAL_DATA_PURPOSES),
  /** The agent's words when the purpose is `other`. */
  purposeText: z.string().nullable(),
  language: z.enum(PURPOSE_LANGUAGES),
  requestedBy: HistoryAgent.nullable(),
  requestedAt: z.number().int(),
});
export type PersonalDataRequestView = z.infer<typeof PersonalDataRequestView>;

export const ConsentView = z.object({
  id: Id,
  conversationId: Id,
  requestId: Id.nullable(),
  consent: z.enum(CONSENT_ANSWERS),
  wording: z.string(),
  source: z.enum(CONSENT_SOURCES),
  recordedBy: HistoryAgent.nullable(),
  recordedAt: z.number().int(),
});
export type ConsentView = z.infer<typeof ConsentView>;

/** What was asked of the conversation's customer and why, newest first, and their latest answer to promotions. */
export const ContactPersonalData = z.object({
  requests: z.array(PersonalDataRequestView),
  consents: z.array(ConsentView),
  /** The latest consent recorded; null: never asked, or no answer yet. */
  promotionsConsent: z.enum(CONSENT_ANSWERS).nullable(),
});
export type ContactPersonalData = z.infer<typeof ContactPersonalData>;

/** A data-subject export (admin): the contact, everything asked of them and why, and their answers. */
export const PersonalDataExport = ContactPersonalData.extend({
  contact: z.object({ id: Id, waId: z.string().nullable(), userId: z.string().nullable(), profileName: z.string().nullable() }),
  exportedAt: z.number().int(),
});
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;
