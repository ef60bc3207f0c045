/**
 * Reads Meta's template objects (`GET /{waba-id}/message_templates`, cloud-api.md §11) into
 * Sportello's model (common/templates/template.ts). Lenient where Meta adds things (unknown
 * statuses kept as they come, unknown button kinds kept as OTHER) and strict where Sportello
 * acts: a template without an id, a name, a language or a known category is not read.
 */
import { z } from 'zod';
import type { TemplateButton, TemplateComponents, TemplateHeader } from '../../common/templates/template.js';
import { HeaderFormat, TemplateCategory, TemplateQuality } from '../../common/templates/template.js';

const Text = z.string().max(4096);

const MetaButton = z.looseObject({
  type: z.string(),
  text: Text.optional(),
  url: Text.optional(),
  phone_number: z.string().optional(),
  example: z.union([z.array(z.string()), z.string()]).optional(),
  otp_type: z.string().optional(),
  flow_id: z.union([z.string(), z.number()]).optional(),
  flow_action: z.string().optional(),
});

const MetaComponent = z.looseObject({
  type: z.string(),
  format: z.string().optional(),
  text: Text.optional(),
  example: z
    .looseObject({
      header_text: z.array(z.string()).optional(),
      body_text: z.array(z.array(z.string())).optional(),
      body_text_named_params: z.array(z.looseObject({ param_name: z.string(), example: z.string() })).optional(),
    })
    .optional(),
  buttons: z.array(MetaButton).optional(),
});

export const MetaTemplate = z.looseObject({
  id: z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]).transform(String),
  name: z.string().regex(/^[a-z0-9_]{1,512}$/),
  language: z.string().regex(/^[A-Za-z]{2,3}(_[A-Za-z]{2,4})?$/),
  status: z.string().regex(/^[A-Z_]{1,40}$/),
  category: TemplateCategory,
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
  quality_score: z.looseObject({ score: z.string().optional() }).optional(),
  rejected_reason: z.string().optional(),
  components: z.array(MetaComponent).default([]),
});
export type MetaTemplate = z.infer<typeof MetaTemplate>;

/** What a sync stores of a template: everything but its account and times. */
export interface ReadTemplate {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly category: TemplateCategory;
  readonly status: string;
  readonly statusReason: string | null;
  readonly quality: TemplateQuality;
  readonly parameterFormat: 'POSITIONAL' | 'NAMED';
  readonly components: TemplateComponents;
}

export function qualityOf(score: string | undefined): TemplateQuality {
  const parsed = TemplateQuality.safeParse(score);
  return parsed.success ? parsed.data : 'UNKNOWN';
}

/** A template of Meta's list, or undefined when it cannot be read (counted as skipped by the sync). */
export function readMetaTemplate(raw: unknown): ReadTemplate | undefined {
  const parsed = MetaTemplate.safeParse(raw);
  if (!parsed.success) return undefined;
  const template = parsed.data;
  const reason = template.rejected_reason !== undefined && template.rejected_reason !== 'NONE' ? template.rejected_reason : null;
  return {
    id: template.id,
    name: template.name,
    language: template.language,
    category: template.category,
    status: template.status,
    statusReason: reason,
    quality: qualityOf(template.quality_score?.score),
    parameterFormat: template.parameter_format ?? 'POSITIONAL',
    components: readComponents(template.components),
  };
}

function readComponents(components: readonly z.infer<typeof MetaComponent>[]): TemplateComponents {
  let header: TemplateHeader | null = null;
  let body: TemplateComponents['body'] = { text: '', examples: [] };
  let footer: string | null = null;
  const buttons: TemplateButton[] = [];
  for (const component of components) {
    switch (component.type.toUpperCase()) {
      case 'HEADER': {
        const format = HeaderFormat.safeParse(component.format?.toUpperCase());
        if (!format.success) break;
        header =
          format.data === 'TEXT' ? { format: 'TEXT', text: component.text ?? '', examples: component.example?.header_text ?? [] } : { format: format.data };
        break;
      }
      case 'BODY':
        body = {
          text: component.text ?? '',
          examples: component.example?.body_text?.[0] ?? component.example?.body_text_named_params?.map((param) => param.example) ?? [],
        };
        break;
      case 'FOOTER':
        footer = component.text ?? null;
        break;
      case 'BUTTONS':
        for (const button of component.buttons ?? []) buttons.push(readButton(button));
        break;
      default:
        break;
    }
  }
  return { header, body, footer, buttons };
}

function readButton(button: z.infer<typeof MetaButton>): TemplateButton {
  const text = button.text ?? '';
  const example = Array.isArray(button.example) ? button.example[0] : button.example;
  switch (button.type.toUpperCase()) {
    case 'QUICK_REPLY':
      return { type: 'QUICK_REPLY', text };
    case 'URL':
      return { type: 'URL', text, url: button.url ?? '', ...(example === undefined ? {} : { example }) };
    case 'PHONE_NUMBER':
      return { type: 'PHONE_NUMBER', text, phoneNumber: button.phone_number ?? '' };
    case 'COPY_CODE':
      return { type: 'COPY_CODE', text: text === '' ? 'Copy code' : text, ...(example === undefined ? {} : { example }) };
    case 'OTP':
      return { type: 'OTP', text, ...(button.otp_type === undefined ? {} : { otpType: button.otp_type }) };
    case 'FLOW':
      return {
        type: 'FLOW',
        text,
        ...(button.flow_id === undefined ? {} : { flowId: String(button.flow_id) }),
        ...(button.flow_action === undefined ? {} : { flowAction: button.flow_action }),
      };
    default:
      return { type: 'OTHER', text, metaType: button.type };
  }
}
