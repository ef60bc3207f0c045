/**
 * One-time codes people read off a screen and type: pairing codes (8 characters), enrollment
 * codes (16), recovery codes (10, shown `ACDEF-GHJKM`; common/codes/outgoing-codes.ts looks for
 * that shape in what an agent sends). The alphabet leaves out look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), so a code
 * read aloud or off a QR is typed right; input is accepted in any case, with spaces or dashes.
 */
import { z } from 'zod';

export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTWXY34679';
export const PAIRING_CODE_LENGTH = 8;
export const ENROLLMENT_CODE_LENGTH = 16;
export const RECOVERY_CODE_LENGTH = 10;

const ALPHABET_SET = new Set(CODE_ALPHABET);

/** Upper-cased, separators dropped; null when it cannot be a code of that length. */
export function normalizeCode(input: string, length: number): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== length) return null;
  for (const char of compact) if (!ALPHABET_SET.has(char)) return null;
  return compact;
}

/** Groups of four, joined by dashes: ACDE-FGHJ. */
export function formatCode(code: string): string {
  return (code.match(/.{1,4}/g) ?? []).join('-');
}

/** Two groups of five, joined by a dash: ACDEF-GHJKM. */
export function formatRecoveryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

const codeSchema = (length: number, what: string) =>
  z
    .string()
    .max(64)
    .transform((value, ctx) => {
      const code = normalizeCode(value, length);
      if (code === null) {
        ctx.addIssue({ code: 'custom', message: `${what} must be ${length} characters from ${CODE_ALPHABET}, as shown (dashes and spaces are ignored)` });
        return z.NEVER;
      }
      return code;
    });

export const PairingCode = codeSchema(PAIRING_CODE_LENGTH, 'the pairing code');
export const EnrollmentCode = codeSchema(ENROLLMENT_CODE_LENGTH, 'the enrollment code');
