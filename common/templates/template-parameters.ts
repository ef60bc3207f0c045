/**
 * The one rule for a template's parameters: given a template and what the agent filled in, either
 * the `components` of the send (common/messages/message-content.ts, Meta's shape, cloud-api.md §11)
 * or every problem found. The picker's live preview runs it on each keystroke, and the server runs
 * it again on the send before Meta is called (`template_parameters_invalid` with the problems).
 */
import { z } from 'zod';
import type { z as Zod } from 'zod';
import type { TemplateComponent as TemplateComponentSchema } from '../messages/message-content.js';
import type { StoredTemplate, TemplateButton } from './template.js';
import { variablesOf } from './template.js';
import { MEDIA_KINDS } from '../attachments/media-limits.js';
import type { MediaKind } from '../attachments/media-limits.js';

type TemplateComponent = Zod.infer<typeof TemplateComponentSchema>;

/** Meta's limits on what a template holds once filled (cloud-api.md §9, 132005). */
export const TEMPLATE_LIMITS = { headerText: 60, body: 1024, buttonSuffix: 2000, code: 15 } as const;

export const HeaderMediaKind = z.enum(['image', 'video', 'document']);
export type HeaderMediaKind = z.infer<typeof HeaderMediaKind>;

/**
 * A media header: a file the agent uploaded to Sportello (`attachmentId`: the upload's id, as an
 * attachment's, checked by the server like one and attached to the stored message), or an https
 * link Meta fetches. Never Meta's own media id: the server uploads the file to Meta when the
 * message goes and names the id Meta gives back (docs/templates.md). `kind` is the file's kind
 * (an upload's as stored, on the server): the rule says `wrong_media` unless the header takes it.
 */
export const HeaderMedia = z
  .object({
    kind: z.enum(MEDIA_KINDS),
    attachmentId: z.number().int().positive().optional(),
    link: z.url({ protocol: /^https$/, error: 'link must be an https address' }).optional(),
    filename: z.string().max(240).optional(),
  })
  .strict()
  .refine((media) => media.attachmentId === undefined || media.link === undefined, 'a header file is an upload or a link, not both');
export type HeaderMedia = z.infer<typeof HeaderMedia>;

/** The header of an uploaded file (a picked attachment, or the server's stored row of it). */
export function headerMediaOfUpload(upload: { readonly attachmentId: number; readonly kind: MediaKind; readonly filename?: string | null }): HeaderMedia {
  return { kind: upload.kind, attachmentId: upload.attachmentId, ...(upload.filename == null ? {} : { filename: upload.filename.slice(0, 240) }) };
}

export const HeaderLocation = z
  .object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(1000).optional(),
    address: z.string().max(1000).optional(),
  })
  .strict();

/**
 * What the agent filled in. `header`, `body`: a value per variable, by its name (`1`, `first_name`);
 * `buttons`: per button index, the URL's suffix, the code to copy or the one-time code.
 */
export const TemplateParameters = z
  .object({
    header: z.record(z.string(), z.string()).default({}),
    headerMedia: HeaderMedia.optional(),
    headerLocation: HeaderLocation.optional(),
    body: z.record(z.string(), z.string()).default({}),
    buttons: z.record(z.string().regex(/^\d{1,2}$/), z.string()).default({}),
  })
  .strict();
export type TemplateParameters = z.infer<typeof TemplateParameters>;
export type TemplateParametersInput = z.input<typeof TemplateParameters>;

/** Where a problem is: `header.1`, `body.first_name`, `button.0`, `header` (its media or location). */
export const TEMPLATE_PROBLEMS = ['missing', 'too_long', 'wrong_media', 'not_allowed', 'unexpected'] as const;
export const TemplateProblem = z.object({
  at: z.string(),
  problem: z.enum(TEMPLATE_PROBLEMS),
  /** too_long: the most allowed; wrong_media: the kind the header takes. */
  limit: z.number().int().optional(),
  expected: z.string().optional(),
});
export type TemplateProblem = z.infer<typeof TemplateProblem>;

export type TemplateBuild = { readonly ok: true; readonly components: TemplateComponent[] } | { readonly ok: false; readonly problems: TemplateProblem[] };

type Template = Pick<StoredTemplate, 'parameterFormat' | 'components'>;

/** The button kinds that take a value at the send, and the sub_type Meta wants for each. */
function buttonValue(button: TemplateButton): { readonly subType: string; readonly limit: number } | undefined {
  switch (button.type) {
    case 'URL':
      return variablesOf(button.url).length > 0 ? { subType: 'url', limit: TEMPLATE_LIMITS.buttonSuffix } : undefined;
    case 'COPY_CODE':
      return { subType: 'copy_code', limit: TEMPLATE_LIMITS.code };
    case 'OTP':
      // Meta sends an authentication template's code button as a URL button whose suffix is the code.
      return { subType: 'url', limit: TEMPLATE_LIMITS.code };
    default:
      return undefined;
  }
}

/** Meta refuses a parameter holding a line break, a tab or more than four spaces in a row. */
const NOT_ALLOWED_IN_VALUE = /[\n\r\t]| {5,}/;

export function buildTemplateComponents(template: Template, input: TemplateParametersInput): TemplateBuild {
  const parsed = TemplateParameters.safeParse(input);
  if (!parsed.success) return { ok: false, problems: [{ at: 'parameters', problem: 'unexpected' }] };
  const given = parsed.data;
  const problems: TemplateProblem[] = [];
  const components: TemplateComponent[] = [];
  const named = template.parameterFormat === 'NAMED';
  const { header, body, buttons } = template.components;

  const textParameters = (part: 'header' | 'body', names: readonly string[], values: Readonly<Record<string, string>>) =>
    names.map((name) => {
      const value = (values[name] ?? '').trim();
      if (value === '') problems.push({ at: `${part}.${name}`, problem: 'missing' });
      else if (NOT_ALLOWED_IN_VALUE.test(value)) problems.push({ at: `${part}.${name}`, problem: 'not_allowed' });
      return named ? { type: 'text', parameter_name: name, text: value } : { type: 'text', text: value };
    });
  const unexpected = (part: string, values: Readonly<Record<string, string>>, names: readonly string[]) => {
    for (const name of Object.keys(values)) if (!names.includes(name)) problems.push({ at: `${part}.${name}`, problem: 'unexpected' });
  };

  if (header?.format === 'TEXT') {
    const names = variablesOf(header.text);
    const parameters = textParameters('header', names, given.header);
    unexpected('header', given.header, names);
    const filled = filledLength(header.text, given.header);
    if (filled > TEMPLATE_LIMITS.headerText) problems.push({ at: 'header', problem: 'too_long', limit: TEMPLATE_LIMITS.headerText });
    if (parameters.length > 0) components.push({ type: 'header', parameters });
  } else {
    unexpected('header', given.header, []);
  }
  if (header !== null && header.format !== 'TEXT' && header.format !== 'LOCATION') {
    const expected = header.format.toLowerCase();
    const media = given.headerMedia;
    if (media === undefined || (media.attachmentId === undefined && media.link === undefined)) problems.push({ at: 'header', problem: 'missing', expected });
    else if (media.kind !== expected) problems.push({ at: 'header', problem: 'wrong_media', expected });
    else {
      // An upload goes without an id: the dispatcher uploads the message's file to Meta and names Meta's id (server/sending/graph-message-body.ts).
      const source = media.link !== undefined ? { link: media.link } : {};
      const file = media.kind === 'document' && media.filename !== undefined ? { filename: media.filename } : {};
      components.push({ type: 'header', parameters: [{ type: media.kind, [media.kind]: { ...source, ...file } }] });
    }
  } else if (given.headerMedia !== undefined) {
    problems.push({ at: 'header', problem: 'unexpected' });
  }
  if (header?.format === 'LOCATION') {
    if (given.headerLocation === undefined) problems.push({ at: 'header', problem: 'missing', expected: 'location' });
    else components.push({ type: 'header', parameters: [{ type: 'location', location: given.headerLocation }] });
  } else if (given.headerLocation !== undefined) {
    problems.push({ at: 'header', problem: 'unexpected' });
  }

  const bodyNames = variablesOf(body.text);
  const bodyParameters = textParameters('body', bodyNames, given.body);
  unexpected('body', given.body, bodyNames);
  if (filledLength(body.text, given.body) > TEMPLATE_LIMITS.body) problems.push({ at: 'body', problem: 'too_long', limit: TEMPLATE_LIMITS.body });
  if (bodyParameters.length > 0) components.push({ type: 'body', parameters: bodyParameters });

  buttons.forEach((button, index) => {
    const takes = buttonValue(button);
    const key = String(index);
    const value = (given.buttons[key] ?? '').trim();
    if (takes === undefined) {
      if (given.buttons[key] !== undefined) problems.push({ at: `button.${key}`, problem: 'unexpected' });
      return;
    }
    if (value === '') problems.push({ at: `button.${key}`, problem: 'missing' });
    else if (value.length > takes.limit) problems.push({ at: `button.${key}`, problem: 'too_long', limit: takes.limit });
    else if (/\s/.test(value) && button.type !== 'URL') problems.push({ at: `button.${key}`, problem: 'not_allowed' });
    const parameter = takes.subType === 'copy_code' ? { type: 'coupon_code', coupon_code: value } : { type: 'text', text: value };
    components.push({ type: 'button', sub_type: takes.subType, index: key, parameters: [parameter] });
  });
  for (const key of Object.keys(given.buttons)) {
    if (Number(key) >= buttons.length) problems.push({ at: `button.${key}`, problem: 'unexpected' });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, components };
}

/**
 * The parameters a send's `components` carry, read back (a client that built its components
 * itself): the server checks them with `buildTemplateComponents`, so a send is judged by one rule
 * whichever way it came. Parts it cannot read are left out, which the rule then finds missing.
 */
export function parametersOfComponents(template: Template, components: readonly TemplateComponent[]): TemplateParametersInput {
  const header: Record<string, string> = {};
  const body: Record<string, string> = {};
  const buttons: Record<string, string> = {};
  let headerMedia: HeaderMedia | undefined;
  let headerLocation: z.infer<typeof HeaderLocation> | undefined;
  const namesOf = (part: 'header' | 'body') => {
    const text = part === 'body' ? template.components.body.text : template.components.header?.format === 'TEXT' ? template.components.header.text : '';
    return variablesOf(text);
  };
  for (const component of components) {
    const kind = component.type.toLowerCase();
    const parameters = component.parameters ?? [];
    if (kind === 'header' || kind === 'body') {
      const names = namesOf(kind);
      const into = kind === 'header' ? header : body;
      parameters.forEach((parameter, position) => {
        const p = parameter as Record<string, unknown>;
        if (p.type === 'text' && typeof p.text === 'string') {
          const name = typeof p.parameter_name === 'string' ? p.parameter_name : names[position];
          if (name !== undefined) into[name] = p.text;
        } else if (kind === 'header' && (p.type === 'image' || p.type === 'video' || p.type === 'document')) {
          const media = HeaderMedia.safeParse({ kind: p.type, ...(p[p.type] as object | undefined) });
          if (media.success) headerMedia = media.data;
        } else if (kind === 'header' && p.type === 'location') {
          const location = HeaderLocation.safeParse(p.location);
          if (location.success) headerLocation = location.data;
        }
      });
    } else if (kind === 'button' && component.index !== undefined) {
      const p = parameters[0] as Record<string, unknown> | undefined;
      const value = p?.type === 'coupon_code' ? p.coupon_code : p?.text;
      if (typeof value === 'string') buttons[String(component.index)] = value;
    }
  }
  return { header, body, buttons, ...(headerMedia === undefined ? {} : { headerMedia }), ...(headerLocation === undefined ? {} : { headerLocation }) };
}

function filledLength(text: string, values: Readonly<Record<string, string>>): number {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_whole, name: string) => (values[name] ?? '').trim()).length;
}
