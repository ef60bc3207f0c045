/**
 * What the agent has filled in a template's form, and how it becomes the send's parameters
 * (common/templates/template-parameters.ts, the one rule the server applies again): the header's
 * text values or the file main uploaded for it, the body's values, and the buttons' values.
 */
import type { Attachment } from '../../../common/ipc/contract.js';
import type { TemplateParameters, TemplateParametersInput, TemplateProblem } from '../../../common/templates/template-parameters.js';
import { buildTemplateComponents, headerMediaOfUpload } from '../../../common/templates/template-parameters.js';
import type { StoredTemplate } from '../../../common/templates/template.js';

export interface FilledValues {
  readonly header: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, string>>;
  readonly buttons: Readonly<Record<string, string>>;
  /** The file chosen for a media header (uploaded by main, like an attachment). */
  readonly headerFile: Attachment | null;
}

export const NO_VALUES: FilledValues = { header: {}, body: {}, buttons: {}, headerFile: null };

type Template = Pick<StoredTemplate, 'parameterFormat' | 'components'>;

/** The header names the upload itself (its attachment id): the server sends the file to Meta when the message goes. */
function headerMediaOf(file: Attachment | null): TemplateParametersInput['headerMedia'] {
  return file === null ? undefined : headerMediaOfUpload(file);
}

export function parametersOf(values: FilledValues): TemplateParameters {
  const media = headerMediaOf(values.headerFile);
  return { header: values.header, body: values.body, buttons: values.buttons, ...(media === undefined ? {} : { headerMedia: media }) };
}

/** The parameters, and what keeps them from being sent (empty: nothing); a file of a kind the header does not take is `wrong_media`, by the rule. */
export function judge(template: Template, values: FilledValues): { parameters: TemplateParameters; problems: readonly TemplateProblem[] } {
  const parameters = parametersOf(values);
  const built = buildTemplateComponents(template, parameters);
  return { parameters, problems: built.ok ? [] : built.problems };
}

/** The buttons that take a value at the send (a link's end, a code), as the rule asks for them. */
export function buttonsTakingValues(template: Template): number[] {
  const empty = buildTemplateComponents(template, {});
  if (empty.ok) return [];
  return empty.problems.flatMap((problem) => (problem.at.startsWith('button.') ? [Number(problem.at.slice('button.'.length))] : []));
}

/** Every text the send carries to the customer (what the code hold looks at). */
export function textsOf(values: FilledValues): string[] {
  return [...Object.values(values.header), ...Object.values(values.body), ...Object.values(values.buttons)];
}
