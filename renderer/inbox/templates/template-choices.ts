/**
 * What the picker offers: the approved templates that match the agent's search, those in the
 * customer's language first, and the ones Meta paused or disabled after approving them, shown
 * with the reason they cannot be chosen (as is a marketing template to a customer who stopped
 * marketing messages). Templates never approved, or deleted in WhatsApp Manager, are not offered.
 */
import type { StoredTemplate } from '../../../common/templates/template.js';
import { isSendable } from '../../../common/templates/template.js';

export type PickableTemplate = Pick<StoredTemplate, 'id' | 'name' | 'language' | 'category' | 'status' | 'statusReason' | 'components' | 'removed'>;

/** Why a template cannot be chosen (an i18n key under templates.unavailable), or null. */
export type Unavailable = 'PAUSED' | 'DISABLED' | 'optedOut';

export interface TemplateChoice {
  readonly template: PickableTemplate;
  readonly unavailable: Unavailable | null;
}

export interface TemplateChoices {
  readonly inLanguage: readonly TemplateChoice[];
  readonly others: readonly TemplateChoice[];
}

export function unavailableReason(template: PickableTemplate, marketingOptedOut: boolean): Unavailable | null {
  if (template.status === 'PAUSED' || template.status === 'DISABLED') return template.status;
  if (marketingOptedOut && template.category === 'MARKETING') return 'optedOut';
  return null;
}

/** Approved, or stopped by Meta after it was (shown as such); never approved or deleted: not offered. */
function offered(template: PickableTemplate): boolean {
  return isSendable(template) || (!template.removed && (template.status === 'PAUSED' || template.status === 'DISABLED'));
}

/** `en_US` and `en` are the same language to a customer. */
function baseLanguage(code: string): string {
  return code.split(/[_-]/)[0]?.toLowerCase() ?? code.toLowerCase();
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

function matches(template: PickableTemplate, words: readonly string[]): boolean {
  const haystack = fold(
    [
      template.name.replaceAll('_', ' '),
      template.name,
      template.components.body.text,
      template.components.header?.format === 'TEXT' ? template.components.header.text : '',
    ].join(' '),
  );
  return words.every((word) => haystack.includes(word));
}

export function templateChoices(
  templates: readonly PickableTemplate[],
  options: { readonly language: string | null; readonly query: string; readonly marketingOptedOut: boolean },
): TemplateChoices {
  const words = fold(options.query)
    .split(/\s+/)
    .filter((word) => word !== '');
  const chosen = templates
    .filter((template) => offered(template) && matches(template, words))
    .map((template) => ({ template, unavailable: unavailableReason(template, options.marketingOptedOut) }))
    .sort(
      (a, b) =>
        Number(a.unavailable !== null) - Number(b.unavailable !== null) ||
        a.template.name.localeCompare(b.template.name) ||
        a.template.language.localeCompare(b.template.language),
    );
  const language = options.language === null ? null : baseLanguage(options.language);
  const inLanguage = chosen.filter((choice) => language !== null && baseLanguage(choice.template.language) === language);
  return { inLanguage, others: chosen.filter((choice) => !inLanguage.includes(choice)) };
}
