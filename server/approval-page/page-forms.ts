/**
 * What the approval page accepts: the query of GET /pair and its three forms, as zod schemas, and
 * a strict reader of application/x-www-form-urlencoded bodies (a field sent twice is refused, not
 * guessed at). Every form carries exactly its own fields.
 */
import { z } from 'zod';
import { Password, Username } from '../../common/api/session.js';
import type { SecondFactor } from '../../common/api/session.js';
import { normalizeCode, PairingCode, RECOVERY_CODE_LENGTH } from '../../common/devices/pairing-code.js';
import { ApprovalPageError } from './page-errors.js';
import type { FormField } from './page-errors.js';

/** Forms are a few short fields: anything near this is not the page's own form. */
export const FORM_BODY_LIMIT = 8 * 1024;

/** One field for either second factor: six digits are a TOTP code, anything else must be a recovery code. */
const SecondFactorInput = z
  .string()
  .max(64)
  .transform((value, ctx): SecondFactor => {
    const compact = value.replace(/\s/g, '');
    if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
    if (normalizeCode(value, RECOVERY_CODE_LENGTH) !== null) return { kind: 'recovery', code: value };
    ctx.addIssue({ code: 'custom', message: 'the code must be the 6 digits shown by the authenticator app, or a recovery code' });
    return z.NEVER;
  });

/** Checked against the session in constant time; a missing one is refused there (403), not here. */
const CsrfToken = z.string().max(128).default('');

export const PairQuery = z.strictObject({ code: PairingCode });

export const LoginForm = z.strictObject({
  code: PairingCode,
  username: Username,
  password: Password,
  otp: SecondFactorInput,
});
export type LoginForm = z.infer<typeof LoginForm>;

export const DECISIONS = ['approve', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DecideForm = z.strictObject({
  code: PairingCode,
  decision: z.enum(DECISIONS),
  csrf: CsrfToken,
});

export const LogoutForm = z.strictObject({
  code: PairingCode.optional(),
  csrf: CsrfToken,
});

const FIELDS: ReadonlySet<string> = new Set<FormField>(['code', 'username', 'password', 'otp', 'decision', 'csrf']);

/** The parsed input, or an invalid_form error naming the first field at fault (never echoing its value). */
export function parseForm<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.code === 'unrecognized_keys' ? 'form' : String(issue?.path[0] ?? 'form');
  const field = FIELDS.has(key) ? (key as FormField) : 'form';
  throw new ApprovalPageError('invalid_form', `${field}: ${issue?.message ?? 'is invalid'}`, field);
}

/** The body's fields by name. */
export function parseUrlEncoded(body: string): Record<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (fields.has(name)) throw new ApprovalPageError('invalid_form', 'a form field was sent twice', 'form');
    fields.set(name, value);
  }
  // fromEntries defines own properties, so a field named __proto__ stays a plain field.
  return Object.fromEntries(fields);
}
