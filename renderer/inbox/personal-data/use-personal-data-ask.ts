/**
 * Whether the text an agent writes asks the customer for personal data (the detector the server
 * refuses with, common/personal-data/), and the purpose the agent chose for it: what the send
 * carries as `personalDataPurpose`, and whether Send waits for one (the policy requires a purpose).
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PersonalDataPurpose } from '../../../common/personal-data/personal-data-purpose.js';
import type { PersonalDataPurposeKind, PurposeLanguage } from '../../../common/personal-data/personal-data-purpose.js';
import { requestedPersonalData } from '../../../common/personal-data/personal-data-requests.js';
import type { PersonalDataKind } from '../../../common/personal-data/personal-data-words.js';
import { useSafetyPolicy } from '../safety/safety-policy-context.js';

export interface PurposeChoice {
  readonly purpose: PersonalDataPurposeKind | '';
  /** The agent's words, for `other`. */
  readonly text: string;
}

export const NO_PURPOSE: PurposeChoice = { purpose: '', text: '' };

export interface PersonalDataAsk {
  readonly kinds: readonly PersonalDataKind[];
  readonly choice: PurposeChoice;
  readonly choose: (choice: PurposeChoice) => void;
  /** The purpose the send carries; undefined while none (or an incomplete one) is chosen, or the text asks for nothing. */
  readonly purpose: PersonalDataPurpose | undefined;
  /** Send waits: the text asks for personal data, the policy requires its purpose, and none is chosen. */
  readonly missing: boolean;
  readonly privacyNoticeUrl: string | null;
}

export function purposeOf(choice: PurposeChoice): PersonalDataPurpose | undefined {
  if (choice.purpose === '') return undefined;
  const parsed = PersonalDataPurpose.safeParse(choice.purpose === 'other' ? { purpose: 'other', text: choice.text } : { purpose: choice.purpose });
  return parsed.success ? parsed.data : undefined;
}

/** The language the agent's interface speaks, as the purpose line is written. */
export function usePurposeLanguage(): PurposeLanguage {
  const { i18n } = useTranslation();
  return i18n.language.startsWith('it') ? 'it' : 'en';
}

export function usePersonalDataAsk(text: string): PersonalDataAsk {
  const policy = useSafetyPolicy().personalData;
  const kinds = useMemo(() => requestedPersonalData(text), [text]);
  const [choice, choose] = useState<PurposeChoice>(NO_PURPOSE);
  const purpose = kinds.length === 0 ? undefined : purposeOf(choice);
  return {
    kinds,
    choice,
    choose,
    purpose,
    missing: kinds.length > 0 && policy.requirePurpose && purpose === undefined,
    privacyNoticeUrl: policy.privacyNoticeUrl,
  };
}
