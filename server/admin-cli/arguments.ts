/**
 * The CLI's arguments, checked with the project's zod schemas before anything is opened: a bad
 * one stops the command with one line naming it (`<machineId>`, `--role` …) and nothing changes.
 */
import { z } from 'zod';
import { CodedError } from '../../common/errors/coded-error.js';
import type { CommandOptions } from './admin-command.js';

export class ArgumentError extends CodedError<'invalid_argument'> {
  constructor(message: string) {
    super('invalid_argument', message);
    this.name = 'ArgumentError';
  }
}

/** `<machineId>` for positional arguments, `--reason` for options: how the user typed them. */
function displayName(key: string, positional: readonly string[]): string {
  if (positional.includes(key)) return `<${key}>`;
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * Parses a command's positional arguments (named in order by `positional`) and its options with
 * `schema`; throws an ArgumentError naming the first argument at fault.
 */
export function parseArguments<Schema extends z.ZodObject>(
  schema: Schema,
  positional: readonly string[],
  values: readonly unknown[],
  options: CommandOptions,
): z.infer<Schema> {
  const raw: Record<string, unknown> = { ...options };
  positional.forEach((key, index) => {
    raw[key] = values[index];
  });
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  throw new ArgumentError(`${displayName(key, positional)}: ${issue?.message ?? 'is invalid'}`);
}

/** The parse step of a command whose input is exactly `schema`, positional arguments named in order. */
export function argumentsOf<Schema extends z.ZodObject>(schema: Schema, ...positional: string[]) {
  return (values: readonly unknown[], options: CommandOptions): z.infer<Schema> => parseArguments(schema, positional, values, options);
}

/** A comma-separated list typed on the command line ("agent,supervisor"), each item checked by `schema`. */
export function commaList<Output>(schema: z.ZodType<Output>) {
  return z.preprocess(
    (text) =>
      typeof text === 'string'
        ? text
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '')
        : text,
    schema,
  );
}

/** The parse step of a command without arguments (options such as --json are the runner's). */
export const noArguments = argumentsOf(z.object({}));

/** A whole number typed on the command line: digits first (a clear message), then `schema`'s own rules. */
export function typedNumber<Output>(schema: z.ZodType<Output>, hint: string) {
  return z
    .string()
    .trim()
    .regex(/^\d{1,15}$/, hint)
    .transform((text, ctx) => {
      const parsed = schema.safeParse(text);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? hint });
      return z.NEVER;
    });
}
