/**
 * The refusals of a template send, one set of codes whoever finds them: the server before Meta
 * is called (server/templates/template-send-check.ts), or Meta's answer to the send (its codes
 * below, cloud-api.md §9), so the agent reads the same words either way.
 */
export const TEMPLATE_SEND_REFUSALS = ['template_unknown', 'template_not_approved', 'template_parameters_invalid', 'customer_stopped_marketing'] as const;
export type TemplateSendRefusal = (typeof TEMPLATE_SEND_REFUSALS)[number];

/** Meta's answers that are one of those refusals, found by Meta instead of Sportello. */
export const TEMPLATE_REFUSAL_BY_META_CODE: Readonly<Record<number, TemplateSendRefusal>> = {
  132001: 'template_unknown',
  132015: 'template_not_approved',
  132016: 'template_not_approved',
  131050: 'customer_stopped_marketing',
};

/**
 * Meta's refusals that say the template's status changed since it was approved: the stored
 * template takes that status at once (server/templates/template-refused-by-meta.ts), as its status
 * webhook would, so the picker shows it and the next send is refused before Meta is called.
 */
export const TEMPLATE_STATUS_BY_META_CODE: Readonly<Record<number, 'PAUSED' | 'DISABLED'>> = {
  132015: 'PAUSED',
  132016: 'DISABLED',
};
