/**
 * A customer's phone number as agents see it when the policy masks numbers
 * (common/safety/safety-policy.ts `maskedNumbers`): the country calling code, the first three
 * digits of the national number and its last two, everything between as dots
 * (`393471234501` → `+39 347 ••• ••01`). Enough to tell two customers apart and to recognise a
 * country or a mobile network, never enough to call anyone. Pure: the server masks with it, the
 * renderer only shows what the server gave.
 *
 * At least five digits stay hidden, whatever the length: a short national number shows fewer of
 * its first digits, then none of its last, then nothing at all (not even its country code).
 */

/** The two-digit country calling codes (ITU-T E.164); `1` and `7` are the one-digit ones, every other code has three. */
const TWO_DIGIT_CODES = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);

/** The dot that stands for a hidden digit. */
export const HIDDEN_DIGIT = '•';
/** The fewest digits a masked number hides. */
export const MIN_HIDDEN_DIGITS = 5;
const MAX_LEADING = 3;
const TRAILING = 2;

/** The country calling code a number in international form (digits only) begins with. */
export function countryCallingCode(digits: string): string {
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  const two = digits.slice(0, 2);
  return TWO_DIGIT_CODES.has(two) ? two : digits.slice(0, 3);
}

/** How a number splits when masked: what is shown before and after the hidden digits. */
export interface MaskedParts {
  readonly countryCode: string;
  readonly leading: string;
  readonly hidden: number;
  readonly trailing: string;
}

export function maskedParts(phone: string): MaskedParts {
  const digits = phone.replace(/\D/g, '');
  // A number too short to hold a country code and five hidden digits shows none of its digits.
  if (digits.length <= MIN_HIDDEN_DIGITS + 1) return { countryCode: '', leading: '', hidden: Math.max(digits.length, MIN_HIDDEN_DIGITS), trailing: '' };
  const countryCode = countryCallingCode(digits);
  const national = digits.slice(countryCode.length);
  if (national.length < MIN_HIDDEN_DIGITS) return { countryCode: '', leading: '', hidden: digits.length, trailing: '' };
  const trailing = national.length >= MIN_HIDDEN_DIGITS + TRAILING ? national.slice(-TRAILING) : '';
  const leadingLength = Math.min(MAX_LEADING, Math.max(0, national.length - trailing.length - MIN_HIDDEN_DIGITS));
  const hidden = national.length - leadingLength - trailing.length;
  return { countryCode, leading: national.slice(0, leadingLength), hidden, trailing };
}

/**
 * The number masked for an agent: `+39 347 ••• ••01`. Takes a wa_id (digits, as Meta gives it)
 * or a number written with `+`, spaces or dashes; only its digits count.
 */
export function maskPhoneNumber(phone: string): string {
  const parts = maskedParts(phone);
  const groups: string[] = [];
  for (let left = parts.hidden; left > 0; left -= 3) groups.push(HIDDEN_DIGIT.repeat(Math.min(3, left)));
  groups[groups.length - 1] += parts.trailing;
  const head = [parts.countryCode === '' ? '' : `+${parts.countryCode}`, parts.leading].filter((part) => part !== '');
  return [...head, ...groups].join(' ');
}

/** Whether `shown` is a masked number (holds a hidden digit): what the renderer shows as it came. */
export function isMaskedNumber(shown: string): boolean {
  return shown.includes(HIDDEN_DIGIT);
}
