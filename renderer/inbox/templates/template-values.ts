/**
 * What the agent has filled in a template's form, and how it becomes the send's parameters
 * (common/templates/template-parameters.ts, the one rule the server applies again): the header's
 * text values or the file main uploaded for it, the body's values, and the buttons' values.
 */
import type { Attachment } from '../../../common/ipc/contract.js';
import type { TemplateParameters, TemplateParametersInput, TemplateProblem } from '../../../common/templates/template-parameters.js';
import { buildTemplateComponents, HeaderMediaKind } from '../../../common/templates/template-parameters.js';
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

/** A file of a kind no header takes (audio, a sticker): said as the rule would, without sending it. */
function headerMediaOf(file: Attachment | null): TemplateParametersInput['headerMedia'] | 'wrong' {
  if (file === null) return undefined;
  const kind = HeaderMediaKind.safeParse(file.kind);
  return kind.success ? { kind: kind.data, id: String(file.attachmentId), filename: file.filename } : 'wrong';
}

export function parametersOf(values: FilledValues): TemplateParameters {
  const media = headerMediaOf(values.headerFile);
  return { header: values.header, body: values.body, buttons: values.buttons, ...(media === undefined || media === 'wrong' ? {} : { headerMedia: media }) };
}

/** The parameters, and what keeps them from being sent (empty: nothing). */
export function judge(template: Template, values: FilledValues): { parameters: TemplateParameters; problems: readonly TemplateProblem[] } {
  const parameters = parametersOf(values);
  const built = buildTemplateComponents(template, parameters);
  const problems = built.ok ? [] : built.problems;
  if (headerMediaOf(values.headerFile) !== 'wrong') return { parameters, problems };
  return { parameters, problems: [{ at: 'header', problem: 'wrong_media' }, ...problems.filter((problem) => problem.at !== 'header')] };
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
