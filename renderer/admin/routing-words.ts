/** A routing rule's condition in the agent's language: what the rules list and the form's preview say. */
import type { TFunction } from 'i18next';
import type { RoutingCondition } from '../../common/api/routing.js';

/** A two-letter code as the language's name in the interface's own language ("it" → "italiano" in Italian). */
export function languageName(code: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function conditionWords(t: TFunction, condition: RoutingCondition, uiLanguage: string): string {
  switch (condition.kind) {
    case 'number':
      return t('routing.when.number', { number: condition.phoneNumberId });
    case 'keyword':
      return t('routing.when.keyword', { keywords: condition.keywords.map((keyword) => `“${keyword}”`).join(', ') });
    case 'language':
      return t('routing.when.language', { languages: condition.languages.map((code) => languageName(code, uiLanguage)).join(', ') });
    case 'referral': {
      const fields = [
        condition.sourceId === undefined ? null : t('routing.when.adId', { value: condition.sourceId }),
        condition.sourceUrl === undefined ? null : t('routing.when.adUrl', { value: condition.sourceUrl }),
        condition.headline === undefined ? null : t('routing.when.adHeadline', { value: condition.headline }),
      ].filter((field) => field !== null);
      return fields.length === 0 ? t('routing.when.anyAd') : t('routing.when.ad', { fields: fields.join(', ') });
    }
  }
}
